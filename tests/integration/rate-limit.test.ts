import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { database } from '../../lib/db/client';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvents } from '../../lib/events/emit-event';
import { createHub } from '../../lib/hubs/hubs';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { getWebhook } from '../../lib/webhooks/get-webhooks';
import { updateWebhook } from '../../lib/webhooks/update-webhook';
import { startWorker } from '../support/herald';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait';

/**
 * A webhook's rate limit holds across every worker (two here): its deliveries start 1/rate apart;
 * what is not yet due to start waits in the queue, and another webhook never waits behind it.
 */
const EVENT = 'dynamic-content.content-item.updated';
let receiver: Receiver;
const workers: DeliveryWorker[] = [];

beforeAll(async () => {
  receiver = await new Receiver().start();
  workers.push(await startWorker(), await startWorker());
});

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await receiver.close();
});

/** The most requests that arrived within one second of the clock. */
function busiestSecond(times: number[]): number {
  const perSecond = new Map<number, number>();
  for (const time of times) perSecond.set(Math.floor(time / 1000), (perSecond.get(Math.floor(time / 1000)) ?? 0) + 1);
  return Math.max(...perSecond.values());
}

describe('a rate limit per webhook', () => {
  it('spreads 40 events over about 8 s, at most 5 (+1) in any second of the clock, across two workers, while another webhook gets its 40 at once', async () => {
    const hub = await createHub('rate-limited', 'Rate limited');
    const limited = await createWebhook(hub.id, {
      label: 'Search service',
      events: [EVENT],
      handlers: [`${receiver.url}/limited`],
      rateLimit: 5,
    });
    await createWebhook(hub.id, { label: 'Unlimited', events: [EVENT], handlers: [`${receiver.url}/free`] });
    expect((await getWebhook(hub.id, limited.id)).rateLimit).toBe(5);

    await emitEvents(hub.id, {
      events: Array.from({ length: 40 }, (_, index) => ({ name: EVENT, payload: { id: `item-${index}` } })),
    });
    const started = Date.now();
    const arrivals = (path: string) =>
      receiver.requests.filter((request) => request.path === path).map((request) => request.receivedAt);
    await waitFor(() => arrivals('/free').length === 40, { timeoutMs: 10_000, what: 'the unlimited webhook' });
    expect(Math.max(...arrivals('/free')) - started).toBeLessThan(3000);

    await waitFor(() => arrivals('/limited').length === 40, { timeoutMs: 30_000, what: 'the limited webhook' });
    const limitedTimes = arrivals('/limited').sort((a, b) => a - b);
    const span = (limitedTimes.at(-1) ?? 0) - (limitedTimes[0] ?? 0);
    // One every 200 ms: 7.8 s from the first start to the last (less a little for when each
    // request reached the receiver).
    expect(span).toBeGreaterThanOrEqual(5500);
    expect(span).toBeLessThan(10_000);
    // The limit governs when Herald sends: counted by each attempt's start, as the worker recorded it,
    // not by when this busy test process got round to reading the request (which bunches them).
    // Each outcome is written just after its request is answered.
    const rows = await waitFor(
      async () => {
        const { rows: attempts } = await database().pool.query<{ at: Date }>(
          'SELECT a.started_at AS at FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id WHERE d.webhook_id = $1',
          [limited.id],
        );
        return attempts.length === 40 ? attempts : undefined;
      },
      { timeoutMs: 10_000, what: "the limited webhook's 40 attempts recorded" },
    );
    const starts = rows.map((row) => row.at.getTime()).sort((a, b) => a - b);
    expect(busiestSecond(starts)).toBeLessThanOrEqual(6);
    // Paced from the first: the webhook was idle and saved up no burst (five at 200 ms apart span
    // 800 ms; a burst would start them within a few).
    expect((starts[4] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(400);
    expect(new Set(receiver.requests.map((request) => request.headers['webhook-id'])).size).toBe(80);
  });

  it('is refused with the reason when it is not a whole number of deliveries per second, and removed with null', async () => {
    const hub = await createHub('rate-limit-input', 'Rate limit input');
    await expect(
      createWebhook(hub.id, { label: 'Bad', events: [EVENT], handlers: [`${receiver.url}/x`], rateLimit: 0.5 }),
    ).rejects.toThrow('rateLimit must be a whole number of deliveries per second');
    await expect(
      createWebhook(hub.id, { label: 'Bad', events: [EVENT], handlers: [`${receiver.url}/x`], rateLimit: 0 }),
    ).rejects.toThrow('rateLimit must be at least 1 delivery per second');
    const webhook = await createWebhook(hub.id, {
      label: 'Limited',
      events: [EVENT],
      handlers: [`${receiver.url}/x`],
      rateLimit: 10,
    });
    await updateWebhook(hub.id, webhook.id, { rateLimit: null });
    expect((await getWebhook(hub.id, webhook.id)).rateLimit).toBeNull();
  });
});
