import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { resetEnvCache } from '../../lib/config/env';
import { database, prisma } from '../../lib/db/client';
import { emitEvent } from '../../lib/events/emit-event';
import { JobRunner } from '../../lib/jobs/job-runner';
import { emailJobs } from '../../lib/notifications/email-jobs';
import { smtpMailer } from '../../lib/notifications/mailer';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { defaultHubId, startWorker as startTestWorker, type TestWorkerOptions } from './herald';
import { Receiver } from './receiver';
import { SmtpSink } from './smtp-sink';
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

/** What a failure-notification test file works with: the default hub, a receiver and a mail sink. */
export interface FailureMailEnv {
  hubId: string;
  receiver: Receiver;
  sink: SmtpSink;
}

/**
 * A failure-notification test file's setup and helpers: before its tests, the default hub, a
 * receiver and a mail sink (handed to `use`, for the file's own variables) with HERALD_SMTP_URL
 * pointing at it; after each test, the worker and the email sender it started are stopped and the
 * sink accepts again; after all, the receiver and the sink are closed.
 */
export function failureMail(use: (env: FailureMailEnv) => void) {
  let current: FailureMailEnv | undefined;
  const env = (): FailureMailEnv => {
    if (!current) throw new Error('failureMail: used before its beforeAll ran');
    return current;
  };
  const running: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    current = {
      hubId: await defaultHubId(),
      receiver: await new Receiver().start(),
      sink: await new SmtpSink().start(),
    };
    // The worker records notices only when it can mail them.
    process.env.HERALD_SMTP_URL = current.sink.url;
    resetEnvCache();
    use(current);
  });

  afterEach(async () => {
    for (const started of running.splice(0)) await started.stop();
    env().sink.replyWith(() => 'accept');
  });

  afterAll(async () => {
    await current?.receiver.close();
    await current?.sink.close();
  });

  /** A delivery worker, stopped after the test. */
  async function startWorker(options: TestWorkerOptions) {
    const worker = await startTestWorker(options);
    running.push(worker);
    return worker;
  }

  let eventIndex = 0;

  /** The email jobs on a job loop of their own, as a worker with a mail server runs them; stopped after the test. */
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
    const sender = {
      stop: async () => {
        await runner.stop();
        mailer.close();
      },
    };
    running.push(sender);
    return sender;
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

  return { startWorker, startSender, failingWebhook, emailsTo, mailTo, expectNoFailureEmail };
}
