import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { database, prisma } from '../../lib/db/client';
import { OutcomeWriter } from '../../lib/delivery/outcome-writer';
import { claimDeliveries } from '../../lib/outbox/claim';
import type { AttemptResult } from '../../lib/outbox/types';
import { emailJob, failureMail, HOUR, PUBLIC_URL, sentEmail } from '../support/failure-mail';
import { waitForDelivery } from '../support/herald';
import type { SmtpSink } from '../support/smtp-sink';
import { waitFor } from '../support/wait';

// The notification addresses themselves (confirmation links, digests) are in notification-addresses.test.ts.

const ROOT = path.resolve(import.meta.dirname, '../..');

let hubId: string;
let sink: SmtpSink;
let child: ChildProcess | undefined;

const { startWorker, startSender, failingWebhook, emailsTo } = failureMail((env) => {
  ({ hubId, sink } = env);
});

afterAll(() => {
  child?.kill('SIGKILL');
});

describe('failure notifications by email', () => {
  it('emails the address when a delivery fails for good: label, event, response, error and a link to it', async () => {
    const { webhook, emit, email: address } = await failingWebhook('Search index updater');
    await startWorker({ schedule: [0, 20] });
    startSender();
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
    await startWorker({ schedule: [0] });
    startSender({ intervalMs: HOUR });
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
    await startWorker({ schedule: [0, 20, 20] });
    const deliveryId = await emit();
    await waitForDelivery(deliveryId, ['FAILED']);
    // Both notices (the webhook turned off, and its delivery) are written by now: one email tells both.
    expect(await prisma().failureNotice.count({ where: { webhookId: webhook.id } })).toBe(2);
    startSender();
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
    await startWorker({ schedule: [0] });
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
    await startWorker({ schedule: [0] });
    startSender({ retryBaseMs: 50 });
    await waitForDelivery(await emit(), ['FAILED']);
    await waitFor(() => emailsTo(webhook.id).length === 1, { what: 'the email, on its second try' });
    const row = await sentEmail(address);
    expect(row.lastError).toBeNull();
    expect(sink.seen.filter((email) => email.messageId === `<notification-${row.id}@herald.test>`)).toHaveLength(2);
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
    startSender();
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
