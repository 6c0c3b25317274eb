import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { createHub } from '../../lib/hubs/hubs';
import { startWorker } from '../support/herald';
import { HeraldApi } from '../support/herald-api';
import { type ReceivedRequest, Receiver } from '../support/receiver';
import { waitFor } from '../support/wait';

/**
 * Latest-version delivery through the HTTP API: a search indexer that answers 500 to 30 % of
 * requests gets every item's newest version last, never an older one after a newer; a newer
 * version never races an older one in flight; a superseded version cannot be redelivered.
 */
const EVENT = 'dynamic-content.content-item.updated';
const ITEMS = 20;
const VERSIONS = 8;
// Retries 0.5–1 s apart, as in the run (±20 % jitter on each), and enough of them that none fails.
const SCHEDULE = [0, 500, 700, 900, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000];

let api: HeraldApi;
let receiver: Receiver;
let worker: DeliveryWorker;
/** Per path: the requests answered 2xx, in the order they were answered. */
const accepted = new Map<string, ReceivedRequest[]>();
let failing: (request: ReceivedRequest) => boolean = () => false;
/** Requests held open until their promise is resolved with a status. */
let hold: ((request: ReceivedRequest) => Promise<number> | null) | null = null;

/** A seeded generator, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const version = (request: ReceivedRequest) =>
  (JSON.parse(request.body) as { payload: { id: string; version: number } }).payload;

beforeAll(async () => {
  api = await HeraldApi.start('latest delivery test');
  receiver = await new Receiver(async (request) => {
    const held = hold?.(request);
    const status = held ? await held : failing(request) ? 500 : 200;
    if (status < 300) accepted.set(request.path, [...(accepted.get(request.path) ?? []), request]);
    return { status };
  }).start();
  worker = await startWorker({ schedule: SCHEDULE, concurrency: 50 });
});

afterAll(async () => {
  await worker.stop();
  await receiver.close();
  await api.close();
});

/** Per item: how often a version was accepted after a newer one of it, and the version it ended on. */
function inversions(path: string): { inversions: number; endsOnNewest: number; accepted: number } {
  const newest = new Map<string, number>();
  const last = new Map<string, number>();
  let count = 0;
  const requests = accepted.get(path) ?? [];
  for (const request of requests) {
    const { id, version: v } = version(request);
    if (v < (newest.get(id) ?? 0)) count++;
    newest.set(id, Math.max(v, newest.get(id) ?? 0));
    last.set(id, v);
  }
  const endsOnNewest = [...last.values()].filter((v) => v === VERSIONS).length;
  return { inversions: count, endsOnNewest, accepted: requests.length };
}

async function statusCounts(webhookId: string): Promise<Record<string, number>> {
  const groups = await prisma().delivery.groupBy({ by: ['status'], where: { webhookId }, _count: true });
  return Object.fromEntries(groups.map((group) => [group.status, group._count]));
}

describe('latest-version delivery', () => {
  it('a receiver failing 30 % of requests: 0 inversions and every item on its newest version in latest mode', async () => {
    const hub = await createHub('latest-failing', 'Failing search indexer');
    const every = await api.createWebhook(hub.id, {
      label: 'Indexer (every)',
      events: [EVENT],
      handlers: [`${receiver.url}/every`],
    });
    const latest = await api.createWebhook(hub.id, {
      label: 'Indexer (latest)',
      events: [EVENT],
      handlers: [`${receiver.url}/latest`],
      delivery: { mode: 'latest' },
    });
    const random = seeded(20261203);
    failing = (request) => request.path !== '/slow' && random() < 0.3;

    // Version by version, the items of a version at once: each item's versions are emitted in order.
    for (let v = 1; v <= VERSIONS; v++) {
      await Promise.all(
        Array.from({ length: ITEMS }, (_, item) => api.emit(hub.id, EVENT, { id: `item-${item}`, version: v })),
      );
    }
    const total = ITEMS * VERSIONS;
    await waitFor(async () => (await statusCounts(every)).DELIVERED === total, {
      timeoutMs: 90_000,
      what: 'every version delivered in every mode',
    });
    await waitFor(
      async () => {
        const counts = await statusCounts(latest);
        return (counts.DELIVERED ?? 0) + (counts.SUPERSEDED ?? 0) === total;
      },
      { timeoutMs: 90_000, what: 'every latest-mode delivery delivered or superseded' },
    );
    const latestCounts = await statusCounts(latest);
    const everyRun = inversions('/every');
    const latestRun = inversions('/latest');
    console.info(
      `failing receiver (30 % 500s), ${ITEMS} items × ${VERSIONS} versions: ` +
        `every mode ${everyRun.inversions} inversions in ${everyRun.accepted} accepted, ${everyRun.endsOnNewest}/${ITEMS} items end on the newest; ` +
        `latest mode ${latestRun.inversions} inversions in ${latestRun.accepted} accepted, ${latestRun.endsOnNewest}/${ITEMS} end on the newest, ` +
        `${latestCounts.SUPERSEDED ?? 0} superseded, ${latestCounts.DELIVERED ?? 0} delivered`,
    );
    expect(latestRun.inversions).toBe(0);
    expect(latestRun.endsOnNewest).toBe(ITEMS);
    expect(latestCounts.SUPERSEDED ?? 0).toBeGreaterThan(0);
    expect(latestCounts.FAILED ?? 0).toBe(0);

    // The API lists the superseded deliveries, each linking to the newer one of its item.
    const page = await api.call<{ _embedded: { requests: Record<string, unknown>[] } }>(
      'GET',
      `/hubs/${hub.id}/webhooks/${latest}/requests?status=SUPERSEDED&limit=100`,
    );
    const superseded = page.body._embedded.requests;
    expect(superseded.length).toBe(Math.min(100, latestCounts.SUPERSEDED ?? 0));
    for (const request of superseded) {
      expect(request.status).toBe('SUPERSEDED');
      expect(request.supersededBy).toEqual(expect.any(String));
      expect((request._links as Record<string, { href: string }>)['superseded-by']?.href).toContain(
        `/requests/${request.supersededBy}`,
      );
    }
  }, 240_000);

  it('never sends a newer version while an older one is in flight; the older one, failing, ends SUPERSEDED', async () => {
    failing = () => false;
    const hub = await createHub('latest-in-flight', 'In flight');
    const webhookId = await api.createWebhook(hub.id, {
      label: 'Slow indexer',
      events: [EVENT],
      handlers: [`${receiver.url}/slow`],
      delivery: { mode: 'latest' },
    });
    let answerFirst: (status: number) => void = () => undefined;
    const firstAnswered = new Promise<number>((resolve) => {
      answerFirst = resolve;
    });
    let answeredAt = 0;
    hold = (request) => (request.path === '/slow' && version(request).version === 1 ? firstAnswered : null);

    await api.emit(hub.id, EVENT, { id: 'page', version: 1 });
    await waitFor(() => receiver.requests.some((r) => r.path === '/slow'), { what: 'version 1 in flight' });
    const emittedAt = new Date();
    await api.emit(hub.id, EVENT, { id: 'page', version: 2 });
    // A claim has looked at this webhook since version 2 was committed, and did not take it.
    await waitFor(
      async () => {
        const queue = await prisma().webhookQueue.findUnique({ where: { webhookId } });
        return queue && queue.servedAt > emittedAt;
      },
      { what: 'a claim of the webhook after version 2' },
    );
    expect(receiver.requests.filter((r) => r.path === '/slow').map((r) => version(r).version)).toEqual([1]);
    answeredAt = Date.now();
    answerFirst(500);

    await waitFor(async () => (await statusCounts(webhookId)).DELIVERED === 1, { what: 'version 2 delivered' });
    const slow = receiver.requests.filter((r) => r.path === '/slow');
    expect(slow.map((r) => version(r).version)).toEqual([1, 2]);
    expect(slow[1]?.receivedAt).toBeGreaterThanOrEqual(answeredAt);
    const rows = await prisma().delivery.findMany({
      where: { webhookId },
      include: { attempts: true, event: { select: { sequenceId: true } } },
      orderBy: { event: { sequenceId: 'asc' } },
    });
    expect(rows.map((row) => row.status)).toEqual(['SUPERSEDED', 'DELIVERED']);
    expect(rows[0]?.attempts).toHaveLength(1);
    expect(rows[0]?.supersededBy).toBe(rows[1]?.id);
    hold = null;

    // Redeliver: the superseded version is refused, naming the newer one; the newest is sent again.
    const older = rows[0]?.id ?? '';
    const newer = rows[1]?.id ?? '';
    const refused = await api.call<{ errors: { code: string; message: string }[] }>(
      'POST',
      `/hubs/${hub.id}/webhooks/${webhookId}/requests/${older}/redeliver`,
    );
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0]?.message).toContain(
      `Request ${older} was superseded: request ${newer} is a newer version`,
    );
    const again = await api.call('POST', `/hubs/${hub.id}/webhooks/${webhookId}/requests/${newer}/redeliver`);
    expect(again.status).toBe(202);
    await waitFor(() => receiver.requests.filter((r) => r.path === '/slow').length === 3, { what: 'the redelivery' });
    expect(version(receiver.requests.filter((r) => r.path === '/slow')[2] as ReceivedRequest).version).toBe(2);
  }, 60_000);
});
