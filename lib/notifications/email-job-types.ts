import { z } from 'zod';
import { jobType } from '../jobs/define-job';

/**
 * The email jobs as those who add them see them (lib/notifications/email-jobs.ts runs them).
 * Keys make "one email per address per interval": one failures-email job per address waits at
 * a time, whatever number of webhooks name it and of failures they have; it runs no earlier than
 * the interval after the address's last email, and gathers every notice waiting by then.
 */

const ZAddress = z.string().min(3).max(320);

export const FAILURES_EMAIL = jobType('failures-email', z.object({ recipient: ZAddress }));
export const CONFIRMATION_EMAIL = jobType('confirmation-email', z.object({ emailId: z.uuid() }));

/** The email due to each address (lower-cased) that has notices waiting; `at` when known to be later than now. */
export const failuresEmailJob = (recipient: string, at?: Date) =>
  FAILURES_EMAIL.job({ recipient }, { key: `${FAILURES_EMAIL.kind}:${recipient}`, runAt: at });

export const confirmationEmailJob = (emailId: string, recipient: string) =>
  CONFIRMATION_EMAIL.job({ emailId }, { key: `${CONFIRMATION_EMAIL.kind}:${recipient}` });
