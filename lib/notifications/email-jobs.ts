import type pg from 'pg';
import { defineJob, periodicJob, type RegisteredJob } from '../jobs/define-job';
import { addJobs } from '../jobs/jobs-sql';
import { isMailable, issueConfirmationToken } from './addresses';
import { composeConfirmationEmail, composeEmail, type EmailContent } from './email-content';
import { loadEmailFacts } from './email-facts';
import { CONFIRMATION_EMAIL, FAILURES_EMAIL, failuresEmailJob } from './email-job-types';
import {
  dropEmail,
  failuresEmailFor,
  markFailed,
  markSent,
  type PendingEmail,
  pendingEmail,
  pendingFailuresEmailId,
  pruneEmails,
  waitingRecipients,
} from './emails-sql';
import type { Mailer } from './mailer';

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface EmailJobsOptions {
  pool: pg.Pool;
  mailer: Mailer;
  publicUrl: string;
  /** At most one failures email per address this often. */
  intervalMs: number;
  /** How long a claimed email job is held; it must outlast the mailer's own time limits. */
  leaseMs?: number;
  /** The first retry of a failed send waits this long, doubling up to an hour. */
  retryBaseMs?: number;
  /** Sends tried before an email is given up (logged, and left FAILED). */
  maxAttempts?: number;
  /** How often the notices waiting are looked over (see `sweep`). */
  sweepEveryMs?: number;
  log: Log;
}

/**
 * The jobs that mail: a failures email per address (a digest of every webhook naming it), a
 * confirmation link, and a sweep. Sending is at least once: a worker that dies after the mail
 * server took an email but before marking it leaves its job's lease to expire, and the job sends
 * the same email row again, with the same Message-ID (its id), by which mail systems and people
 * can spot it. A mail server that is down or slow only delays emails, retried with backoff.
 */
export function emailJobs(options: EmailJobsOptions): RegisteredJob[] {
  const { pool, log } = options;
  const sending = {
    leaseMs: options.leaseMs ?? 120_000,
    maxAttempts: options.maxAttempts ?? 10,
    retry: { baseMs: options.retryBaseMs ?? 30_000, maxMs: 3_600_000 },
  };

  const send = async (email: PendingEmail, content: EmailContent | null) => {
    if (!content) {
      await dropEmail(pool, email.id);
      return;
    }
    await options.mailer.send({ id: email.id, to: email.recipient, ...content });
    await markSent(pool, email.id);
    log(
      'info',
      `${email.kind === 'CONFIRMATION' ? 'confirmation' : 'notification'} email ${email.id} sent to ${email.recipient}`,
    );
  };

  const failuresEmail = defineJob(FAILURES_EMAIL, {
    ...sending,
    run: async ({ recipient }) => {
      if (!(await isMailable(pool, recipient))) {
        // Checked as each email goes out: one gathered before the address stopped qualifying (a
        // user removed since) is dropped. Notices still waiting wait for a confirmation (the sweep).
        const pending = await pendingFailuresEmailId(pool, recipient);
        if (pending) await dropEmail(pool, pending);
        return undefined;
      }
      const email = await failuresEmailFor(pool, recipient, options.intervalMs);
      if (email === null) return undefined;
      if ('notBefore' in email) return { runAgainAt: email.notBefore };
      const facts = await loadEmailFacts(pool, email, options);
      await send(email, facts ? composeEmail(facts) : null);
      return undefined;
    },
    giveUp: async ({ recipient }, error) => {
      const pending = await pendingFailuresEmailId(pool, recipient);
      if (pending) await markFailed(pool, pending, error);
    },
  });

  const confirmationEmail = defineJob(CONFIRMATION_EMAIL, {
    ...sending,
    run: async ({ emailId }) => {
      const email = await pendingEmail(pool, emailId);
      if (!email) return undefined;
      // A new link, made now: no usable token ever waits in the database.
      const token = await issueConfirmationToken(pool, email.recipient);
      const link = `${options.publicUrl}/confirm-email/${token}`;
      await send(
        email,
        token === null
          ? null
          : composeConfirmationEmail({ recipient: email.recipient, link, publicUrl: options.publicUrl }),
      );
      return undefined;
    },
    giveUp: ({ emailId }, error) => markFailed(pool, emailId, error),
  });

  /**
   * Drops the notices nobody will mail, and gives every address with notices waiting its email
   * job, due when its interval allows. What the outcome writer adds at once covers the usual
   * case; this covers the rest: an address confirmed since its failures, notices recorded while
   * its last email was going out, an interval found over (an email's end moved earlier).
   */
  const sweep = periodicJob('notification-sweep', options.sweepEveryMs ?? 60_000, async () => {
    const waiting = await waitingRecipients(pool, options.intervalMs);
    await addJobs(
      pool,
      waiting.map((row) => failuresEmailJob(row.recipient, row.dueAt)),
      'earlier',
    );
  });

  return [failuresEmail, confirmationEmail, sweep];
}

/** Finished emails (and their notices) go with the activity log's retention. */
export function emailPruneJob(pool: pg.Pool, retentionMs: number, everyMs = 3_600_000): RegisteredJob {
  return periodicJob('prune-notification-emails', everyMs, async () => {
    await pruneEmails(pool, retentionMs);
  });
}
