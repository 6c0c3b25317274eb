import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '../../lib/config/env';
import { database, prisma } from '../../lib/db/client';
import { OutcomeWriter } from '../../lib/delivery/outcome-writer';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvent } from '../../lib/events/emit-event';
import { JobRunner } from '../../lib/jobs/job-runner';
import { confirmAddress, lookupConfirmation } from '../../lib/notifications/addresses';
import { emailJobs } from '../../lib/notifications/email-jobs';
import { smtpMailer } from '../../lib/notifications/mailer';
import { claimDeliveries } from '../../lib/outbox/claim';
import type { AttemptResult } from '../../lib/outbox/types';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { getWebhook } from '../../lib/webhooks/get-webhooks';
import { updateWebhook } from '../../lib/webhooks/update-webhook';
import { defaultHubId, startWorker, waitForDelivery } from '../support/herald';
import { Receiver } from '../support/receiver';
import { SmtpSink } from '../support/smtp-sink';
import { waitFor } from '../support/wait';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PUBLIC_URL = 'http://herald.test:3000';
const HOUR = 3_600_000;

let hubId: string;
let receiver: Receiver;
let sink: SmtpSink;
let worker: DeliveryWorker | undefined;
let sender: { stop(): Promise<void> } | undefined;
let child: ChildProcess | undefined;
let eventIndex = 0;

/** The email jobs on a job loop of their own, as a worker with a mail server runs them. */
function startSender(options: { intervalMs?: number; retryBaseMs?: number } = {}) {
  const mailer = smtpMailer(sink.url, 'Herald <herald@herald.test>', PUBLIC_URL);
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

/** The address's email job, if one waits (it is deleted once done). */
async function emailJob(address: string) {
  const { rows } = await database().pool.query<{ run_at: Date; lease_until: Date | null; attempts: number }>(
    'SELECT run_at, lease_until, attempts FROM jobs WHERE key = $1',
    [`failures-email:${address}`],
  );
  return rows[0] ?? null;
}

/** An address Herald may mail: confirmed as its link would confirm it. */
async function confirmedAddress(email: string): Promise<string> {
  await prisma().notificationAddress.upsert({
    where: { email },
    create: { email, confirmedAt: new Date() },
    update: { confirmedAt: new Date() },
  });
  return email;
}

/**
 * A webhook with a notification address whose endpoint answers `status`, and a way to fail it.
 * Each gets a confirmed address of its own unless told otherwise: the interval is per address.
 */
async function failingWebhook(label: string, status = 503, address?: string) {
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

function sentEmail(recipient: string) {
  return waitFor(
    () => prisma().notificationEmail.findFirst({ where: { recipient, kind: 'FAILURES', status: 'SENT' } }),
    { what: 'the email to be marked sent' },
  );
}

const emailsTo = (webhookId: string) => sink.accepted.filter((email) => email.text.includes(`/webhooks/${webhookId}`));

/** What the sink took for an address: confirmation links and failure emails apart. */
const mailTo = (address: string) => {
  const all = sink.accepted.filter((email) => email.to.includes(address));
  const confirmations = all.filter((email) => email.text.includes('/confirm-email/'));
  return { confirmations, failures: all.filter((email) => !confirmations.includes(email)) };
};

const linkToken = (text: string) => {
  const token = /\/confirm-email\/([A-Za-z0-9_-]+)/.exec(text)?.[1];
  if (!token) throw new Error('no confirmation link in the email');
  return token;
};

/** The address's email job has run (and found it not mailable): it has no failures email of any status. */
async function expectNoFailureEmail(address: string) {
  await waitFor(async () => (await emailJob(address)) === null, { what: 'the email job to run' });
  expect(await prisma().notificationEmail.count({ where: { recipient: address, kind: 'FAILURES' } })).toBe(0);
  expect(mailTo(address).failures).toHaveLength(0);
}

beforeAll(async () => {
  hubId = await defaultHubId();
  receiver = await new Receiver().start();
  sink = await new SmtpSink().start();
  // The worker records notices only when it can mail them.
  process.env.HERALD_SMTP_URL = sink.url;
  resetEnvCache();
});

afterEach(async () => {
  await worker?.stop();
  await sender?.stop();
  worker = undefined;
  sender = undefined;
  sink.replyWith(() => 'accept');
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await receiver.close();
  await sink.close();
});

describe('failure notifications by email', () => {
  it('emails the address when a delivery fails for good: label, event, response, error and a link to it', async () => {
    const { webhook, emit, email: address } = await failingWebhook('Search index updater');
    worker = await startWorker({ schedule: [0, 20] });
    sender = startSender();
    const deliveryId = await emit();
    await waitForDelivery(deliveryId, ['FAILED']);
    const [email] = await waitFor(() => emailsTo(webhook.id).length === 1 && emailsTo(webhook.id), {
      what: 'the notification email',
    });
    if (!email) throw new Error('no email');
    expect(email.to).toEqual([address]);
    expect(email.headers.get('from')).toBe('Herald <herald@herald.test>');
    expect(email.subject).toBe('Webhook "Search index updater": a delivery failed');
    expect(email.text).toContain('to the webhook "Search index updater"');
    expect(email.text).toContain('Event:     dynamic-content.content-item.updated');
    expect(email.text).toContain('Response:  HTTP 503');
    expect(email.text).toContain('Error:     HTTP 503; no retries left');
    expect(email.text).toContain(`${PUBLIC_URL}/hubs/${hubId}/webhooks/${webhook.id}/activity/${deliveryId}`);
    // Over STARTTLS, signed in with the URL's credentials; the Message-ID is the email's id.
    expect(email.secure).toBe(true);
    expect(email.user).toBe('herald');
    // Marked once the server has taken it.
    const row = await sentEmail(address);
    expect(email.messageId).toBe(`<notification-${row.id}@herald.test>`);
  });

  it('sends at most one email per interval; what fails in between is summarised in the next one', async () => {
    const { webhook, emit, email: address } = await failingWebhook('Interval');
    worker = await startWorker({ schedule: [0] });
    sender = startSender({ intervalMs: HOUR });
    await waitForDelivery(await emit(), ['FAILED']);
    await waitFor(() => emailsTo(webhook.id).length === 1, { what: 'the first email' });
    await sentEmail(address);

    const later = [await emit(), await emit()];
    for (const id of later) await waitForDelivery(id, ['FAILED']);
    const waiting = await waitFor(
      async () => {
        const notices = await prisma().failureNotice.findMany({ where: { webhookId: webhook.id, emailId: null } });
        return notices.length === 2 && notices;
      },
      { what: 'both later failures to be noticed' },
    );
    expect(waiting.map((notice) => notice.deliveryId).sort()).toEqual([...later].sort());
    // Within the hour nothing more is put together, let alone sent.
    expect(await prisma().notificationEmail.count({ where: { recipient: address } })).toBe(1);
    expect(emailsTo(webhook.id)).toHaveLength(1);

    // The hour passes.
    await prisma().notificationEmail.updateMany({
      where: { recipient: address },
      data: { finishedAt: new Date(Date.now() - HOUR - 60_000) },
    });
    const [, second] = await waitFor(() => emailsTo(webhook.id).length === 2 && emailsTo(webhook.id), {
      what: 'the summary email',
    });
    expect(second?.subject).toBe('Webhook "Interval": 2 deliveries failed');
    for (const id of later) expect(second?.text).toContain(`/webhooks/${webhook.id}/activity/${id}`);
  });

  it('tells the address when Herald turns the webhook off after a 410', async () => {
    const { webhook, emit } = await failingWebhook('Gone endpoint', 410);
    worker = await startWorker({ schedule: [0, 20, 20] });
    const deliveryId = await emit();
    await waitForDelivery(deliveryId, ['FAILED']);
    // Both notices (the webhook turned off, and its delivery) are written by now: one email tells both.
    expect(await prisma().failureNotice.count({ where: { webhookId: webhook.id } })).toBe(2);
    sender = startSender();
    const [email] = await waitFor(() => emailsTo(webhook.id).length === 1 && emailsTo(webhook.id), {
      what: 'the turned-off email',
    });
    expect(email?.subject).toBe('Herald turned off the webhook "Gone endpoint"');
    expect(email?.text).toContain('The endpoint answered 410 Gone');
    expect(email?.text).toContain('Response:  HTTP 410');
    expect(email?.text).toContain(`${PUBLIC_URL}/hubs/${hubId}/webhooks/${webhook.id}/activity/${deliveryId}`);
  });

  it('mails nothing for a webhook without an address', async () => {
    const { webhook, emit } = await failingWebhook('No address', 503, '');
    worker = await startWorker({ schedule: [0] });
    await waitForDelivery(await emit(), ['FAILED']);
    expect(await prisma().failureNotice.count({ where: { webhookId: webhook.id } })).toBe(0);
  });

  it('notices an outcome once, however often the outcome writer writes it', async () => {
    const { webhook, emit } = await failingWebhook('Written twice');
    const deliveryId = await emit();
    const [claimed] = await claimDeliveries(
      database().pool,
      { limit: 100, webhooks: 50, defaultCap: 100, excluded: [], caps: new Map() },
      60_000,
      'test-owner',
    ).then((rows) => rows.filter((row) => row.id === deliveryId));
    if (!claimed) throw new Error('not claimed');
    const result: AttemptResult = {
      deliveryId,
      webhookId: webhook.id,
      attemptCount: claimed.attemptCount,
      chain: claimed.chain,
      outcome: 'FAILED',
      nextAttemptAt: null,
      rendered: null,
      payloadTemplate: null,
      urlTemplate: null,
      startedAt: new Date(),
      durationMs: 5,
      requestHeaders: {},
      responseStatus: 500,
      responseHeaders: {},
      responseBody: '',
      responseBodyTruncated: false,
      error: 'HTTP 500; no retries left',
      gone: false,
      sent: true,
    };
    const writer = new OutcomeWriter(database().pool, 'test-owner', { disableAfterMs: HOUR }, () => undefined);
    const write = async () => {
      writer.push(result);
      await writer.drain();
    };
    // The second write is what a lost reply makes the writer do: the lease guard matches nothing.
    await write();
    await write();
    const notices = await prisma().failureNotice.findMany({ where: { webhookId: webhook.id } });
    expect(notices.map((notice) => [notice.deliveryId, notice.statusCode, notice.error])).toEqual([
      [deliveryId, 500, 'HTTP 500; no retries left'],
    ]);
    expect(await prisma().deliveryAttempt.count({ where: { deliveryId } })).toBe(1);
  });

  it('retries an email the mail server refuses, with the same Message-ID', async () => {
    const { webhook, emit, email: address } = await failingWebhook('Mail server busy');
    let refused = false;
    sink.replyWith((email) => {
      if (refused || !email.text.includes(`/webhooks/${webhook.id}`)) return 'accept';
      refused = true;
      return { reject: 'Try again later', code: 451 };
    });
    worker = await startWorker({ schedule: [0] });
    sender = startSender({ retryBaseMs: 50 });
    await waitForDelivery(await emit(), ['FAILED']);
    await waitFor(() => emailsTo(webhook.id).length === 1, { what: 'the email, on its second try' });
    const row = await sentEmail(address);
    expect(row.lastError).toBeNull();
    expect(sink.seen.filter((email) => email.messageId === `<notification-${row.id}@herald.test>`)).toHaveLength(2);
  });
});

describe('notification addresses', () => {
  it('25 failing webhooks naming an outside address: one link and no failure mail until confirmed, then one digest per interval', async () => {
    const address = 'outsider@elsewhere.example';
    const webhooks = [];
    for (let index = 0; index < 25; index++) webhooks.push(await failingWebhook(`Relay ${index}`, 503, address));
    // Whoever created them, the API says the address is not confirmed.
    expect((await getWebhook(hubId, webhooks[0]?.webhook.id ?? '')).notifications).toEqual([
      { email: address, confirmed: false },
    ]);
    worker = await startWorker({ schedule: [0] });
    sender = startSender({ intervalMs: HOUR });
    await Promise.all(webhooks.map(async ({ emit }) => waitForDelivery(await emit(), ['FAILED'])));

    const [confirmation] = await waitFor(
      () => mailTo(address).confirmations.length === 1 && mailTo(address).confirmations,
      {
        what: 'the confirmation email',
      },
    );
    expect(confirmation?.subject).toBe('Herald: confirm failure notifications to this address');
    // Every failure is recorded, none is mailed.
    const ids = webhooks.map(({ webhook }) => webhook.id);
    await waitFor(async () => (await prisma().failureNotice.count({ where: { webhookId: { in: ids } } })) === 25, {
      what: 'the 25 failures to be recorded',
    });
    await expectNoFailureEmail(address);
    expect(mailTo(address).confirmations).toHaveLength(1);

    // Opening the link (the page's GET, or a mail scanner) changes nothing; its button confirms, once.
    const token = linkToken(confirmation?.text ?? '');
    expect(await lookupConfirmation(token)).toEqual({ ok: true, email: address });
    expect(await lookupConfirmation(token)).toEqual({ ok: true, email: address });
    expect((await getWebhook(hubId, ids[0] ?? '')).notifications[0]?.confirmed).toBe(false);
    expect(await confirmAddress(token)).toEqual({ ok: true, email: address });
    expect((await confirmAddress(token)).ok).toBe(false);
    expect((await lookupConfirmation(token)).ok).toBe(false);
    expect((await getWebhook(hubId, ids[0] ?? '')).notifications[0]?.confirmed).toBe(true);

    // One email for all 25 webhooks: the failures held back until now.
    const [digest] = await waitFor(() => mailTo(address).failures.length === 1 && mailTo(address).failures, {
      what: 'the digest',
    });
    expect(digest?.subject).toBe('Herald: 25 webhooks failing (25 deliveries failed)');
    for (const id of ids) expect(digest?.text).toContain(`${PUBLIC_URL}/hubs/${hubId}/webhooks/${id}/activity/`);
    await sentEmail(address);

    // They all fail again within the hour: recorded, nothing more mailed.
    await Promise.all(webhooks.map(async ({ emit }) => waitForDelivery(await emit(), ['FAILED'])));
    await waitFor(
      async () => (await prisma().failureNotice.count({ where: { webhookId: { in: ids }, emailId: null } })) === 25,
      { what: 'the second round of failures to be recorded' },
    );
    // The address's email job ran, and waits for the end of the interval.
    await waitFor(async () => ((await emailJob(address))?.run_at.getTime() ?? 0) > Date.now() + HOUR / 2, {
      what: 'the email job to wait for the interval',
    });
    expect(await prisma().notificationEmail.count({ where: { recipient: address, kind: 'FAILURES' } })).toBe(1);
    expect(mailTo(address).failures).toHaveLength(1);

    // The hour passes: one more digest, again for all 25.
    await prisma().notificationEmail.updateMany({
      where: { recipient: address, kind: 'FAILURES' },
      data: { finishedAt: new Date(Date.now() - HOUR - 60_000) },
    });
    const [, second] = await waitFor(() => mailTo(address).failures.length === 2 && mailTo(address).failures, {
      what: 'the second digest',
    });
    expect(second?.subject).toBe('Herald: 25 webhooks failing (25 deliveries failed)');
    expect(mailTo(address).confirmations).toHaveLength(1);
  });

  it('naming an unconfirmed address again mails it another link at most once a day', async () => {
    const address = 'named-twice@elsewhere.example';
    sender = startSender();
    await failingWebhook('First naming', 503, address);
    await waitFor(() => mailTo(address).confirmations.length === 1, { what: 'the first link' });
    await waitFor(
      () =>
        prisma().notificationEmail.findFirst({ where: { recipient: address, kind: 'CONFIRMATION', status: 'SENT' } }),
      { what: 'the first link to be marked sent' },
    );
    const links = () => prisma().notificationEmail.count({ where: { recipient: address, kind: 'CONFIRMATION' } });
    await failingWebhook('Second naming', 503, address);
    const { webhook } = await failingWebhook('Third naming', 503, '');
    await updateWebhook(hubId, webhook.id, { notifications: [{ email: address.toUpperCase() }] });
    expect(await links()).toBe(1);
    // A day later, naming it again sends a new link; the old one no longer confirms.
    await prisma().notificationEmail.updateMany({
      where: { recipient: address, kind: 'CONFIRMATION' },
      data: { createdDate: new Date(Date.now() - 25 * HOUR) },
    });
    await failingWebhook('A day later', 503, address);
    expect(await links()).toBe(2);
    await waitFor(() => mailTo(address).confirmations.length === 2, { what: 'the second link' });
    const [first, latest] = mailTo(address).confirmations;
    expect((await confirmAddress(linkToken(first?.text ?? ''))).ok).toBe(false);
    expect(await confirmAddress(linkToken(latest?.text ?? ''))).toEqual({ ok: true, email: address });
  });

  it('mails a Herald user’s address without confirmation, the label quoted and cut in the Subject', async () => {
    const address = 'member@herald.test';
    await prisma().user.create({ data: { email: address, role: 'Viewer', passwordHash: 'not-a-login' } });
    const label = 'Urgent": Herald security team - your account is suspended, verify at https://evil.example';
    const { webhook, emit } = await failingWebhook(label, 503, address);
    expect((await getWebhook(hubId, webhook.id)).notifications).toEqual([{ email: address, confirmed: true }]);
    worker = await startWorker({ schedule: [0] });
    sender = startSender();
    await waitForDelivery(await emit(), ['FAILED']);
    const [email] = await waitFor(() => mailTo(address).failures.length === 1 && mailTo(address).failures, {
      what: 'the failure email',
    });
    expect(email?.subject).toBe(
      `Webhook "Urgent': Herald security team - your account is suspended,…": a delivery failed`,
    );
    expect(mailTo(address).confirmations).toHaveLength(0);
    expect(await prisma().notificationEmail.count({ where: { recipient: address, kind: 'CONFIRMATION' } })).toBe(0);
  });
});

describe('a sender killed mid-send', () => {
  it('loses nothing: once its lease runs out another sends the email, with the same Message-ID', async () => {
    const { webhook, emit, email: address } = await failingWebhook('Crash while mailing');
    sink.replyWith(() => 'hold');
    child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        HERALD_SMTP_URL: sink.url,
        HERALD_PUBLIC_URL: PUBLIC_URL,
        HERALD_RETRY_SCHEDULE: '0',
        HERALD_POLL_INTERVAL_MS: '100',
        HERALD_LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child?.once('message', () => resolve());
      child?.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
    });
    await emit();
    // The worker's sender has handed the whole email to the server, which has not answered.
    const held = await waitFor(() => sink.seen.find((email) => email.text.includes(`/webhooks/${webhook.id}`)), {
      what: 'the email to reach the mail server',
      timeoutMs: 30_000,
    });
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    child = undefined;
    const row = await prisma().notificationEmail.findFirstOrThrow({ where: { recipient: address } });
    expect(row.status).toBe('PENDING');
    expect((await emailJob(address))?.lease_until).not.toBeNull();
    expect(sink.accepted.filter((email) => email.messageId === held.messageId)).toHaveLength(0);

    // The job's lease (two minutes) runs out.
    await database().pool.query(`UPDATE jobs SET lease_until = now() - interval '1 second' WHERE key = $1`, [
      `failures-email:${address}`,
    ]);
    sink.replyWith(() => 'accept');
    sender = startSender();
    const [resent] = await waitFor(() => emailsTo(webhook.id).length === 1 && emailsTo(webhook.id), {
      what: 'the email sent by the other sender',
    });
    expect(resent?.messageId).toBe(held.messageId);
    expect(resent?.text).toBe(held.text);
    const after = await sentEmail(address);
    expect(after.id).toBe(row.id);
    await waitFor(async () => (await emailJob(address)) === null, { what: 'the email job to be done' });
  });
});
