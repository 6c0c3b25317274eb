import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { database } from '../../lib/db/client';
import { attemptDelivery } from '../../lib/delivery/attempt-delivery';
import { DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvent } from '../../lib/events/emit-event';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { defaultHubId, waitForDelivery } from '../support/herald';
import { Receiver } from '../support/receiver';

/**
 * An attempt that throws (a bug, anything unforeseen while rendering, signing or sending) is that
 * delivery's outcome: retried on the schedule, then FAILED "internal error: …". It is never left
 * leased to be claimed again every lease, and the other deliveries go out as usual.
 */
let receiver: Receiver;
let worker: DeliveryWorker;
let crashingWebhookId = '';

beforeAll(async () => {
  receiver = await new Receiver().start();
  const db = database();
  worker = new DeliveryWorker({
    databaseUrl: db.url,
    pool: db.pool,
    prisma: db.prisma,
    schedule: [0, 100, 200],
    timeoutMs: 2000,
    privateDestinations: 'loopback',
    disableAfterMs: 86_400_000,
    pollIntervalMs: 200,
    log: () => undefined,
    // The fault, injected where any unexpected exception would surface.
    attempt: (claimed, config, settings) => {
      if (claimed.webhookId === crashingWebhookId) throw new TypeError('Cannot read properties of undefined');
      return attemptDelivery(claimed, config, settings);
    },
  });
  await worker.start();
});

afterAll(async () => {
  await worker.stop();
  await receiver.close();
});

describe('an attempt that throws', () => {
  it('is retried on the schedule, then FAILED with the reason; the other webhook is delivered', async () => {
    const hubId = await defaultHubId();
    const crashing = await createWebhook(hubId, {
      label: 'Crashing',
      events: ['dynamic-content.edition.scheduled'],
      handlers: [`${receiver.url}/crashing`],
    });
    crashingWebhookId = crashing.id;
    await createWebhook(hubId, {
      label: 'Fine',
      events: ['dynamic-content.edition.scheduled'],
      handlers: [`${receiver.url}/fine`],
    });
    const event = await emitEvent(hubId, { name: 'dynamic-content.edition.scheduled', payload: { id: 'e1' } });
    const [bad, good] = [crashing.id, undefined].map((webhookId) =>
      event.deliveries.find((delivery) =>
        webhookId ? delivery.webhookId === webhookId : delivery.webhookId !== crashing.id,
      ),
    );
    if (!bad || !good) throw new Error('both webhooks should have a delivery');

    const failed = await waitForDelivery(bad.id, ['FAILED']);
    expect(failed.attempts.map((attempt) => attempt.number)).toEqual([1, 2, 3]);
    expect(
      failed.attempts.every((attempt) => attempt.error?.startsWith('internal error: Cannot read properties')),
    ).toBe(true);
    expect(failed.lastError).toBe('internal error: Cannot read properties of undefined; no retries left');
    expect(failed.leaseOwner).toBeNull();
    expect(receiver.requests.filter((request) => request.path === '/crashing')).toHaveLength(0);

    expect((await waitForDelivery(good.id, ['DELIVERED'])).attempts).toHaveLength(1);
  });
});
