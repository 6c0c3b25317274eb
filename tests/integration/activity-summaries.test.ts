import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeliverySummaries } from '../../lib/activity-log/list-delivery-summaries';
import { listDeliveries } from '../../lib/activity-log/read-deliveries';
import { emitEvent } from '../../lib/events/emit-event';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { defaultHubId, startWorker, waitForDelivery } from '../support/herald';
import { Receiver } from '../support/receiver';

let receiver: Receiver;

beforeAll(async () => {
  receiver = await new Receiver().start();
});

afterAll(async () => {
  await receiver.close();
});

describe('the activity list', () => {
  it('shows each delivery’s status, attempt count and latest attempt from a summary, paged like the full log', async () => {
    const hubId = await defaultHubId();
    const webhook = await createWebhook(hubId, {
      label: 'Summaries',
      events: ['dynamic-content.content-item.updated'],
      handlers: [`${receiver.url}/summaries`],
    });
    let failed = false;
    // The first send of the first event fails, every other succeeds: that delivery takes two attempts.
    receiver.respondWith((request) => {
      if (!failed && request.body.includes('"s-0"')) {
        failed = true;
        return { status: 503, body: 'later' };
      }
      return { status: 200, body: 'x'.repeat(5000) };
    });
    const emitted = [];
    for (let index = 0; index < 3; index++) {
      emitted.push(
        await emitEvent(hubId, { name: 'dynamic-content.content-item.updated', payload: { id: `s-${index}` } }),
      );
    }
    const worker = await startWorker({ schedule: [0, 50] });
    try {
      for (const event of emitted) await waitForDelivery(event.deliveries[0]?.id ?? '', ['DELIVERED']);
    } finally {
      await worker.stop();
    }

    const full = await listDeliveries(hubId, webhook.id, { limit: 2 });
    const summaries = await listDeliverySummaries(hubId, webhook.id, { limit: 2 });
    expect(summaries.nextCursor).toBe(full.nextCursor);
    expect(summaries.items).toEqual(
      full.items.map((delivery) => ({
        id: delivery.id,
        status: delivery.status,
        event: { name: delivery.event.name, sequenceId: delivery.event.sequenceId },
        createdDate: delivery.createdDate,
        lastStatusCode: delivery.lastStatusCode,
        attempts: delivery.attempts.length,
        lastDurationMs: delivery.attempts[0]?.durationMs ?? null,
      })),
    );
    const older = await listDeliverySummaries(hubId, webhook.id, { limit: 2, cursor: summaries.nextCursor ?? '' });
    expect(older.nextCursor).toBeNull();
    expect(older.items).toHaveLength(1);
    const first = older.items[0];
    expect(first).toMatchObject({
      id: emitted[0]?.deliveries[0]?.id,
      status: 'DELIVERED',
      attempts: 2,
      lastStatusCode: 200,
    });
    // Nothing of a request or a response is read for the list.
    expect(Object.keys(first ?? {}).sort()).toEqual(
      ['attempts', 'createdDate', 'event', 'id', 'lastDurationMs', 'lastStatusCode', 'status'].sort(),
    );
    const filtered = await listDeliverySummaries(hubId, webhook.id, { status: 'FAILED' });
    expect(filtered.items).toEqual([]);
  });
});
