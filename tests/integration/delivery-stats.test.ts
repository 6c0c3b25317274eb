import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverySeries, webhooksFailingMost } from '../../lib/activity-log/delivery-stats';
import { database } from '../../lib/db/client';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvent } from '../../lib/events/emit-event';
import { createHub } from '../../lib/hubs/hubs';
import { completeDeliveries } from '../../lib/outbox/complete';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { startWorker, waitForDelivery } from '../support/herald';
import { Receiver } from '../support/receiver';

let receiver: Receiver;
let worker: DeliveryWorker;

beforeAll(async () => {
  receiver = await new Receiver((request) => ({ status: request.path.endsWith('/down') ? 500 : 200 })).start();
  worker = await startWorker({ schedule: [0] });
});

afterAll(async () => {
  await worker.stop();
  await receiver.close();
});

const EVENT = 'dynamic-content.content-item.updated';

describe('delivery stats', () => {
  it('counts each outcome once per webhook and minute, with the latency of the successes', async () => {
    const hub = await createHub('stats', 'Stats');
    const up = await createWebhook(hub.id, {
      label: 'Up',
      events: [EVENT],
      handlers: [`${receiver.url}/up`],
      filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.keep' }, { value: 'yes' }] }],
    });
    const down = await createWebhook(hub.id, { label: 'Down', events: [EVENT], handlers: [`${receiver.url}/down`] });
    const deliveries = [];
    for (const keep of ['yes', 'yes', 'yes', 'no']) {
      deliveries.push(...(await emitEvent(hub.id, { name: EVENT, payload: { keep } })).deliveries);
    }
    for (const delivery of deliveries) await waitForDelivery(delivery.id, ['DELIVERED', 'FAILED', 'FILTERED']);

    const [hour] = (await deliverySeries({ hubId: hub.id, webhookId: up.id }, '24h')).slice(-1);
    expect(hour).toMatchObject({ delivered: 3, failed: 0, retrying: 0, filtered: 1 });
    expect(hour?.p50).not.toBeNull();
    expect(hour?.p95).toBeGreaterThanOrEqual(hour?.p50 ?? 0);
    const [allHour] = (await deliverySeries({ hubId: hub.id }, '24h')).slice(-1);
    expect(allHour).toMatchObject({ delivered: 3, failed: 4, filtered: 1 });
    const [today] = (await deliverySeries({ hubId: hub.id }, '30d')).slice(-1);
    expect(today).toMatchObject({ delivered: 3, failed: 4, filtered: 1 });
    expect(await webhooksFailingMost(hub.id)).toEqual([{ webhookId: down.id, label: 'Down', failed: 4, attempted: 4 }]);

    // An outcome batch written again (after a lost reply) matches no lease, and counts nothing.
    const first = deliveries.find((delivery) => delivery.webhookId === up.id && delivery.status === 'QUEUED');
    await completeDeliveries(database().pool, worker.owner, [
      {
        deliveryId: first?.id ?? '',
        webhookId: up.id,
        attemptCount: 1,
        chain: 0,
        outcome: 'DELIVERED',
        nextAttemptAt: null,
        rendered: null,
        payloadTemplate: null,
        urlTemplate: null,
        startedAt: new Date(),
        durationMs: 1,
        requestHeaders: {},
        responseStatus: 200,
        responseHeaders: {},
        responseBody: '',
        responseBodyTruncated: false,
        error: null,
        gone: false,
        sent: true,
      },
    ]);
    const [again] = (await deliverySeries({ hubId: hub.id, webhookId: up.id }, '24h')).slice(-1);
    expect(again?.delivered).toBe(3);
  });
});
