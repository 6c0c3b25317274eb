import { expect } from 'vitest';
import { database, prisma } from '../../lib/db/client';
import { emitEvent } from '../../lib/events/emit-event';
import { JobRunner } from '../../lib/jobs/job-runner';
import { emailJobs } from '../../lib/notifications/email-jobs';
import { smtpMailer } from '../../lib/notifications/mailer';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import type { Receiver } from './receiver';
import type { SmtpSink } from './smtp-sink';
import { waitFor } from './wait';

/** Shared by the failure-notification tests: failing webhooks, the email jobs, and what the mail sink took. */

export const PUBLIC_URL = 'http://herald.test:3000';
export const HOUR = 3_600_000;

/** The address's email job, if one waits (it is deleted once done). */
export async function emailJob(address: string) {
  const { rows } = await database().pool.query<{ run_at: Date; lease_until: Date | null; attempts: number }>(
    'SELECT run_at, lease_until, attempts FROM jobs WHERE key = $1',
    [`failures-email:${address}`],
  );
  return rows[0] ?? null;
}

/** An address Herald may mail: confirmed as its link would confirm it. */
export async function confirmedAddress(email: string): Promise<string> {
  await prisma().notificationAddress.upsert({
    where: { email },
    create: { email, confirmedAt: new Date() },
    update: { confirmedAt: new Date() },
  });
  return email;
}

export function sentEmail(recipient: string) {
  return waitFor(
    () => prisma().notificationEmail.findFirst({ where: { recipient, kind: 'FAILURES', status: 'SENT' } }),
    { what: 'the email to be marked sent' },
  );
}

export const linkToken = (text: string) => {
  const token = /\/confirm-email\/([A-Za-z0-9_-]+)/.exec(text)?.[1];
  if (!token) throw new Error('no confirmation link in the email');
  return token;
};

/**
 * The helpers that need the test file's hub, receiver and mail sink; `env` is read at each call,
 * since the file's beforeAll sets them after this is made.
 */
export function failureMail(env: () => { hubId: string; receiver: Receiver; sink: SmtpSink }) {
  let eventIndex = 0;

  /** The email jobs on a job loop of their own, as a worker with a mail server runs them. */
  function startSender(options: { intervalMs?: number; retryBaseMs?: number } = {}) {
    const mailer = smtpMailer(env().sink.url, 'Herald <herald@herald.test>', PUBLIC_URL);
    const runner = new JobRunner({
      pool: database().pool,
      jobs: emailJobs({
        pool: database().pool,
        mailer,
        publicUrl: PUBLIC_URL,
        intervalMs: options.intervalMs ?? HOUR,
        retryBaseMs: options.retryBaseMs ?? 50,
        leaseMs: 60_000,
        sweepEveryMs: 50,
        log: () => undefined,
      }),
      pollIntervalMs: 50,
      log: () => undefined,
    });
    runner.start();
    return {
      stop: async () => {
        await runner.stop();
        mailer.close();
      },
    };
  }

  /**
   * A webhook with a notification address whose endpoint answers `status`, and a way to fail it.
   * Each gets a confirmed address of its own unless told otherwise: the interval is per address.
   */
  async function failingWebhook(label: string, status = 503, address?: string) {
    const { hubId, receiver } = env();
    const id = `item-${++eventIndex}`;
    const email = address ?? (await confirmedAddress(`ops-${eventIndex}@example.com`));
    receiver.respondWith(() => ({ status }));
    const webhook = await createWebhook(hubId, {
      label,
      events: ['dynamic-content.content-item.updated'],
      handlers: [`${receiver.url}/${id}`],
      filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.id' }, { value: id }] }],
      notifications: email ? [{ email }] : [],
    });
    const emit = async () => {
      const emitted = await emitEvent(hubId, { name: 'dynamic-content.content-item.updated', payload: { id } });
      const delivery = emitted.deliveries.find((candidate) => candidate.webhookId === webhook.id);
      if (!delivery) throw new Error('no delivery for the webhook');
      return delivery.id;
    };
    return { webhook, emit, email };
  }

  const emailsTo = (webhookId: string) =>
    env().sink.accepted.filter((email) => email.text.includes(`/webhooks/${webhookId}`));

  /** What the sink took for an address: confirmation links and failure emails apart. */
  const mailTo = (address: string) => {
    const all = env().sink.accepted.filter((email) => email.to.includes(address));
    const confirmations = all.filter((email) => email.text.includes('/confirm-email/'));
    return { confirmations, failures: all.filter((email) => !confirmations.includes(email)) };
  };

  /** The address's email job has run (and found it not mailable): it has no failures email of any status. */
  async function expectNoFailureEmail(address: string) {
    await waitFor(async () => (await emailJob(address)) === null, { what: 'the email job to run' });
    expect(await prisma().notificationEmail.count({ where: { recipient: address, kind: 'FAILURES' } })).toBe(0);
    expect(mailTo(address).failures).toHaveLength(0);
  }

  return { startSender, failingWebhook, emailsTo, mailTo, expectNoFailureEmail };
}
