import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { uuid7 } from '../../lib/crypto/uuid7';
import { database } from '../../lib/db/client';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvent, emitEvents } from '../../lib/events/emit-event';
import { createHub } from '../../lib/hubs/hubs';
import { armWebhooks } from '../../lib/outbox/arm';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { startWorker } from '../support/herald';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait';

/**
 * Several bad neighbours at once, in one hub, beside a good webhook in another: endpoints that take
 * the connection and never answer, one that answers 500 to everything, a webhook holding 100,000 due
 * retries. The good webhook is judged by its emit → receipt p99 while they run, with the delivery
 * timeout at its default (10 s), so one request stuck behind a hanging one would show at once.
 */
const EVENT = 'dynamic-content.content-item.updated';
/**
 * The target is 250 ms on an idle machine. A test shares its process with the worker and
 * every receiver, so the bound is four times that, or three times what the same traffic gets with
 * no neighbour at all on this machine right now, whichever is more: what is judged is what the
 * neighbours cost the good webhook, not how fast the machine is.
 */
const P99_BOUND_MS = 1000;
let bound = P99_BOUND_MS;

const receivers: Receiver[] = [];
let worker: DeliveryWorker | undefined;

afterEach(async () => {
  // Hanging requests end when their receivers close, so the worker stops at once.
  for (const receiver of receivers.splice(0)) await receiver.close();
  await worker?.stop();
  worker = undefined;
});

async function receiver(reply: 'hang' | 500 | 200): Promise<Receiver> {
  const started = await new Receiver(() => (reply === 'hang' ? { hang: true } : { status: reply })).start();
  receivers.push(started);
  return started;
}

async function badHub(slug: string, hanging: number, eventsEach: number) {
  const hub = await createHub(slug, slug);
  const stuck = await receiver('hang');
  const failing = await receiver(500);
  for (let index = 0; index < hanging; index++) {
    await createWebhook(hub.id, { label: `Hanging ${index}`, events: [EVENT], handlers: [`${stuck.url}/${index}`] });
  }
  await createWebhook(hub.id, { label: 'Always 500', events: [EVENT], handlers: [`${failing.url}/500`] });
  for (let sent = 0; sent < eventsEach; sent += 100) {
    await emitEvents(hub.id, {
      events: Array.from({ length: Math.min(100, eventsEach - sent) }, (_, index) => ({
        name: EVENT,
        payload: { id: `bad-${sent + index}` },
      })),
    });
  }
  return { stuck };
}

/** 100,000 deliveries of one webhook, all due retries, written straight into the log as a long outage leaves them. */
async function floodOfRetries(slug: string, count: number) {
  const hub = await createHub(slug, slug);
  const flood = await receiver(200);
  const webhook = await createWebhook(hub.id, { label: 'Flood', events: [EVENT], handlers: [`${flood.url}/flood`] });
  const pool = database().pool;
  // uuid7s of this moment with a counter for their last 48 bits: all in today's partition.
  const eventBase = uuid7();
  // The same time (a delivery shares its event's day, which the database checks), another random part.
  const deliveryBase = `${eventBase.slice(0, 19)}${eventBase[19] === 'a' ? 'b' : 'a'}${eventBase.slice(20)}`;
  await pool.query(
    `INSERT INTO events (id, hub_id, sequence_id, name, request_id, payload)
     SELECT overlay($1::text PLACING lpad(to_hex(i), 12, '0') FROM 25)::uuid, $2, i, $3, 'flood-' || i, '{"id":"flood"}'::json
       FROM generate_series(1, $4::int) i`,
    [eventBase, hub.id, EVENT, count],
  );
  await pool.query(
    `INSERT INTO deliveries (id, hub_id, event_id, webhook_id, status, filter_report, next_attempt_at, attempt_count)
     SELECT overlay($1::text PLACING lpad(to_hex(i), 12, '0') FROM 25)::uuid, $2,
            overlay($3::text PLACING lpad(to_hex(i), 12, '0') FROM 25)::uuid, $4, 'RETRYING', '[]',
            now() - interval '1 minute', 1
       FROM generate_series(1, $5::int) i`,
    [deliveryBase, hub.id, eventBase, webhook.id, count],
  );
  await pool.query('UPDATE hubs SET last_sequence_id = $2 WHERE id = $1', [hub.id, count]);
  await armWebhooks(pool, [{ webhookId: webhook.id, at: null }]);
  return { flood };
}

/** The good webhook, in a hub of its own: 100 events/s for 5 s; returns each delivery's emit → receipt time. */
async function goodTraffic(slug: string): Promise<number[]> {
  const hub = await createHub(slug, slug);
  const good = await receiver(200);
  await createWebhook(hub.id, { label: 'Good', events: [EVENT], handlers: [`${good.url}/good`] });
  const emittedAt = new Map<string, number>();
  const committedAt = new Map<string, number>();
  const started = Date.now();
  const emits: Promise<unknown>[] = [];
  for (let index = 0; index < 500; index++) {
    const due = started + index * 10;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    const id = `good-${index}`;
    emittedAt.set(id, Date.now());
    emits.push(emitEvent(hub.id, { name: EVENT, payload: { id } }).then(() => committedAt.set(id, Date.now())));
  }
  await Promise.all(emits);
  await waitFor(() => good.requests.length >= 500, { timeoutMs: 30_000, what: 'the good webhook’s 500 deliveries' });
  const ids = good.requests.map((request) => (JSON.parse(request.body) as { payload: { id: string } }).payload.id);
  const receivedAt = new Map(ids.map((id, index) => [id, good.requests[index]?.receivedAt ?? Number.NaN]));
  const since = (from: Map<string, number>, to: Map<string, number>) =>
    ids.map((id) => (to.get(id) ?? Number.NaN) - (from.get(id) ?? Number.NaN));
  // Printed apart, so a slow machine (the commit's wait) can be told from a slow queue.
  console.info(
    `${slug}: emit → commit ${spread(since(emittedAt, committedAt))}; commit → receipt ${spread(since(committedAt, receivedAt))}`,
  );
  return since(emittedAt, receivedAt);
}

function percentile(latencies: number[], share: number): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * share) - 1)] ?? Number.NaN;
}

const p99 = (latencies: number[]) => percentile(latencies, 0.99);
const spread = (latencies: number[]) =>
  `p50 ${percentile(latencies, 0.5)}, p90 ${percentile(latencies, 0.9)}, p99 ${p99(latencies)} ms`;

describe('a good webhook beside several bad neighbours', () => {
  beforeAll(async () => {
    // Once to warm the process up (compiled code, connections), then measured, each with a new worker.
    let baseline = 0;
    for (const slug of ['warm-up', 'good-alone']) {
      worker = await startWorker({ timeoutMs: 10_000, concurrency: 200 });
      baseline = p99(await goodTraffic(slug));
      for (const receiver of receivers.splice(0)) await receiver.close();
      await worker.stop();
      worker = undefined;
    }
    bound = Math.max(P99_BOUND_MS, 3 * baseline);
    console.info(`good webhook alone: p99 ${baseline} ms; bound beside neighbours ${bound} ms`);
  });

  it.each([3, 10])('gets every event on time beside %i hanging endpoints and one answering 500', async (hanging) => {
    const { stuck } = await badHub(`bad-${hanging}`, hanging, 300);
    worker = await startWorker({ timeoutMs: 10_000, concurrency: 200, schedule: [0, 5000, 300_000] });
    // The bad ones have taken what they can before the good traffic starts.
    await waitFor(() => stuck.requests.length >= hanging, { what: 'every hanging endpoint to hold a request' });
    const latencies = await goodTraffic(`good-${hanging}`);
    expect(latencies).toHaveLength(500);
    console.info(`good webhook beside ${hanging} hanging endpoints: p99 ${p99(latencies)} ms`);
    expect(p99(latencies)).toBeLessThan(bound);
    // Each hanging endpoint holds a few requests at most, not its share of every slot.
    expect(stuck.requests.length).toBeLessThanOrEqual(hanging * 5);
  });

  it('gets every event on time beside a webhook holding 100,000 due retries', async () => {
    const { flood } = await floodOfRetries('flood', 100_000);
    worker = await startWorker({ timeoutMs: 10_000, concurrency: 200 });
    await waitFor(() => flood.requests.length >= 100, { what: 'the flood to be under way' });
    const latencies = await goodTraffic('good-flood');
    console.info(`good webhook beside 100,000 due retries: p99 ${p99(latencies)} ms`);
    expect(p99(latencies)).toBeLessThan(bound);
    // The flood kept going meanwhile: fairness, not a pause.
    expect(flood.requests.length).toBeGreaterThan(500);
  });
});
