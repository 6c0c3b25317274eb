import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { confirmAddress, lookupConfirmation } from '../../lib/notifications/addresses';
import { getWebhook } from '../../lib/webhooks/get-webhooks';
import { updateWebhook } from '../../lib/webhooks/update-webhook';
import { emailJob, failureMail, HOUR, linkToken, PUBLIC_URL, sentEmail } from '../support/failure-mail';
import { waitForDelivery } from '../support/herald';
import { waitFor } from '../support/wait';

// Failure emails to confirmed addresses, and a sender killed mid-send, are in failure-notifications.test.ts.

let hubId: string;

const { startWorker, startSender, failingWebhook, mailTo, expectNoFailureEmail } = failureMail((env) => {
  ({ hubId } = env);
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
    await startWorker({ schedule: [0] });
    startSender({ intervalMs: HOUR });
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
    startSender();
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
    await startWorker({ schedule: [0] });
    startSender();
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
