import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redeliver } from '../../lib/activity-log/redeliver';
import { database, prisma } from '../../lib/db/client';
import { attemptDelivery } from '../../lib/delivery/attempt-delivery';
import type { AttemptFn, DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvent } from '../../lib/events/emit-event';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { getWebhook } from '../../lib/webhooks/get-webhooks';
import { defaultHubId, startWorker, waitForDelivery } from '../support/herald';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait';

let hubId: string;
let receiver: Receiver;
let worker: DeliveryWorker | undefined;
let eventIndex = 0;

// Each test subscribes a fresh webhook to its own payload id, so tests do not see each other's deliveries.
async function webhookAndEvent(path: string, extra: { method?: 'POST' } = {}) {
  const id = `event-${++eventIndex}`;
  const webhook = await createWebhook(hubId, {
    label: path,
    events: ['dynamic-content.content-item.updated'],
    handlers: [`${receiver.url}${path}`],
    filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.id' }, { value: id }] }],
    ...extra,
  });
  const emit = async () => {
    const emitted = await emitEvent(hubId, { name: 'dynamic-content.content-item.updated', payload: { id } });
    const delivery = emitted.deliveries.find((candidate) => candidate.webhookId === webhook.id);
    if (!delivery) throw new Error('no delivery for the webhook');
    return delivery.id;
  };
  return { webhook, emit };
}

beforeAll(async () => {
  hubId = await defaultHubId();
  receiver = await new Receiver().start();
});

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

afterAll(async () => {
  await receiver.close();
});

describe('retries', () => {
  it('retries a failing receiver until it succeeds, resending the same body with the same webhook-id', async () => {
    const { emit } = await webhookAndEvent('/flaky');
    let calls = 0;
    receiver.respondWith((request) => {
      if (request.path !== '/flaky') return { status: 200 };
      calls++;
      return calls <= 2 ? { status: 500, body: 'boom' } : { status: 200, body: 'finally' };
    });
    worker = await startWorker({ schedule: [0, 50, 50, 50] });
    const deliveryId = await emit();
    const done = await waitForDelivery(deliveryId, ['DELIVERED']);
    expect(done.attempts.map((attempt) => attempt.responseStatus)).toEqual([500, 500, 200]);
    expect(done.attempts.map((attempt) => attempt.succeeded)).toEqual([false, false, true]);
    expect(done.attempts[0]?.error).toBe('HTTP 500');
    expect(done.attempts[0]?.responseBody).toBe('boom');
    const seen = receiver.requests.filter((request) => request.path === '/flaky');
    expect(new Set(seen.map((request) => request.body)).size).toBe(1);
    expect(new Set(seen.map((request) => request.headers['webhook-id'])).size).toBe(1);
  });

  it('fails once the schedule is exhausted', async () => {
    const { emit } = await webhookAndEvent('/down');
    receiver.respondWith(() => ({ status: 503 }));
    worker = await startWorker({ schedule: [0, 20] });
    const done = await waitForDelivery(await emit(), ['FAILED']);
    expect(done.attempts).toHaveLength(2);
    expect(done.lastError).toBe('HTTP 503; no retries left');
  });

  it('honours Retry-After, clamped between the scheduled delay and twice it', async () => {
    const { emit } = await webhookAndEvent('/busy');
    let calls = 0;
    receiver.respondWith(() => (++calls === 1 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 200 }));
    worker = await startWorker({ schedule: [0, 600] });
    const done = await waitForDelivery(await emit(), ['DELIVERED']);
    const [first, second] = done.attempts;
    if (!first || !second) throw new Error('expected two attempts');
    // 1 s asked, within [600 ms, 1200 ms]: no jitter applies to an honoured Retry-After.
    expect(first.nextAttemptAt!.getTime() - first.startedAt.getTime() - first.durationMs).toBeGreaterThanOrEqual(990);
    expect(first.nextAttemptAt!.getTime() - first.startedAt.getTime()).toBeLessThanOrEqual(1300);
    expect(second.startedAt.getTime()).toBeGreaterThanOrEqual(first.nextAttemptAt!.getTime());
  });

  it('times out a receiver that does not answer', async () => {
    const { emit } = await webhookAndEvent('/slow');
    receiver.respondWith((request) => (request.path === '/slow' ? { hang: true } : { status: 200 }));
    worker = await startWorker({ schedule: [0], timeoutMs: 300 });
    const done = await waitForDelivery(await emit(), ['FAILED']);
    expect(done.attempts[0]?.error).toBe('timed out after 300 ms; no retries left');
  });

  it('does not follow redirects', async () => {
    const { emit } = await webhookAndEvent('/moved');
    receiver.respondWith((request) =>
      request.path === '/moved' ? { status: 302, headers: { Location: `${receiver.url}/elsewhere` } } : { status: 200 },
    );
    worker = await startWorker({ schedule: [0] });
    const done = await waitForDelivery(await emit(), ['FAILED']);
    expect(done.attempts[0]?.error).toContain('redirects are not followed');
    expect(done.attempts[0]?.responseStatus).toBe(302);
    expect(receiver.requests.some((request) => request.path === '/elsewhere')).toBe(false);
  });

  it('refuses private destinations unless allowed', async () => {
    const { emit } = await webhookAndEvent('/private');
    const before = receiver.requests.length;
    worker = await startWorker({ schedule: [0], privateDestinations: 'none' });
    const done = await waitForDelivery(await emit(), ['FAILED']);
    expect(done.attempts[0]?.error).toContain('refused to connect to 127.0.0.1');
    expect(receiver.requests.length).toBe(before);
  });

  it('refuses private destinations reached through a host name', async () => {
    const webhook = await createWebhook(hubId, {
      label: 'localhost by name',
      events: ['dynamic-content.content-item.assigned'],
      handlers: [receiver.url.replace('127.0.0.1', 'localhost')],
    });
    worker = await startWorker({ schedule: [0], privateDestinations: 'none' });
    const emitted = await emitEvent(hubId, { name: 'dynamic-content.content-item.assigned', payload: { id: 'x' } });
    const delivery = emitted.deliveries.find((candidate) => candidate.webhookId === webhook.id);
    const done = await waitForDelivery(delivery?.id as string, ['FAILED']);
    expect(done.attempts[0]?.error).toMatch(/refused to connect to (127\.0\.0\.1|::1)/);
  });

  it('keeps at most 64 KB of a response body', async () => {
    const { emit } = await webhookAndEvent('/big');
    receiver.respondWith(() => ({ status: 200, body: 'x'.repeat(100 * 1024) }));
    worker = await startWorker();
    const done = await waitForDelivery(await emit(), ['DELIVERED']);
    expect(done.attempts[0]?.responseBody).toHaveLength(64 * 1024);
    expect(done.attempts[0]?.responseBodyTruncated).toBe(true);
  });
});

describe('odd responses', () => {
  it('stores a response holding NUL bytes and binary garbage without blocking other outcomes', async () => {
    const odd = await webhookAndEvent('/binary');
    const plain = await webhookAndEvent('/plain');
    receiver.respondWith((request) =>
      request.path === '/binary'
        ? { status: 200, headers: { 'X-Odd': 'a' }, body: 'before\u0000after\uD800' }
        : { status: 200, body: 'plain' },
    );
    // Both results are held until both sends are done, then handed to the outcome writer in the
    // same tick: they are written in one batch, the odd one beside an ordinary one.
    const held: (() => void)[] = [];
    const attempt: AttemptFn = async (claimed, config, settings) => {
      const result = await attemptDelivery(claimed, config, settings);
      await new Promise<void>((release) => {
        held.push(release);
        if (held.length === 2) for (const go of held) go();
      });
      return result;
    };
    const ids = [await odd.emit(), await plain.emit()];
    worker = await startWorker({ attempt });
    const [oddDone, plainDone] = await Promise.all(ids.map((id) => waitForDelivery(id, ['DELIVERED', 'FAILED'])));
    expect(oddDone?.status).toBe('DELIVERED');
    expect(oddDone?.attempts[0]?.responseBody).toBe('before\uFFFDafter\uFFFD');
    expect(plainDone?.status).toBe('DELIVERED');
    expect(plainDone?.attempts[0]?.responseBody).toBe('plain');
    // One batch: both outcomes were written by the same transaction.
    const { rows } = await database().pool.query<{ xmin: string }>(
      'SELECT xmin::text FROM deliveries WHERE id = ANY($1::uuid[])',
      [ids],
    );
    expect(new Set(rows.map((row) => row.xmin)).size).toBe(1);
  });
});

describe('turning webhooks off', () => {
  it('turns a webhook off when its endpoint answers 410 Gone', async () => {
    const { webhook, emit } = await webhookAndEvent('/gone');
    receiver.respondWith(() => ({ status: 410 }));
    worker = await startWorker({ schedule: [0, 10, 10] });
    const done = await waitForDelivery(await emit(), ['FAILED']);
    expect(done.attempts).toHaveLength(1);
    const after = await getWebhook(hubId, webhook.id);
    expect(after.active).toBe(false);
    expect(after.disabledReason).toContain('410 Gone');
    // Recorded with the change, Herald itself as the actor.
    const [entry] = await prisma().auditEntry.findMany({ where: { targetId: webhook.id, action: 'webhook.disabled' } });
    expect(entry).toMatchObject({ actorType: 'system', actorLabel: 'Herald', hubId });
  });

  it('turns a webhook off after its deliveries have only failed for the configured period', async () => {
    const { webhook, emit } = await webhookAndEvent('/broken');
    receiver.respondWith(() => ({ status: 500 }));
    await prisma().webhook.update({
      where: { id: webhook.id },
      data: { failingSince: new Date(Date.now() - 6 * 86_400_000) },
    });
    worker = await startWorker({ schedule: [0] });
    await waitForDelivery(await emit(), ['FAILED']);
    const after = await getWebhook(hubId, webhook.id);
    expect(after.active).toBe(false);
    expect(after.disabledReason).toBe(
      'Every delivery failed for 5 days, so Herald turned this webhook off. Fix the endpoint, then turn it back on.',
    );
  });
});

describe('redeliver', () => {
  it('starts a new attempt chain that resends the same request', async () => {
    const { emit } = await webhookAndEvent('/again');
    receiver.respondWith(() => ({ status: 200 }));
    worker = await startWorker();
    const deliveryId = await emit();
    const first = await waitForDelivery(deliveryId, ['DELIVERED']);
    await redeliver(hubId, first.webhookId, deliveryId);
    const second = await waitFor(async () => {
      const row = await prisma().delivery.findUnique({ where: { id: deliveryId }, include: { attempts: true } });
      return row?.chain === 2 && row.status === 'DELIVERED' ? row : undefined;
    });
    expect(second.attempts).toHaveLength(2);
    expect(second.attempts.map((attempt) => attempt.chain).sort()).toEqual([1, 2]);
    const sent = receiver.requests.filter((request) => request.path === '/again');
    expect(sent).toHaveLength(2);
    expect(sent[0]?.body).toBe(sent[1]?.body);
  });

  it('sends a filtered delivery when asked to', async () => {
    const webhook = await createWebhook(hubId, {
      label: 'filtered',
      events: ['dynamic-content.snapshot.published'],
      handlers: [`${receiver.url}/filtered`],
      filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.createdFrom' }, { value: 'edition' }] }],
    });
    receiver.respondWith(() => ({ status: 200 }));
    worker = await startWorker();
    const emitted = await emitEvent(hubId, {
      name: 'dynamic-content.snapshot.published',
      payload: { createdFrom: 'content-item' },
    });
    const delivery = emitted.deliveries.find((candidate) => candidate.webhookId === webhook.id);
    expect(delivery?.status).toBe('FILTERED');
    await redeliver(hubId, webhook.id, delivery?.id as string);
    await waitForDelivery(delivery?.id as string, ['DELIVERED']);
    expect(receiver.requests.filter((request) => request.path === '/filtered')).toHaveLength(1);
  });
});

describe('fairness', () => {
  it('a hanging endpoint holds only its share of slots; other webhooks keep being delivered', async () => {
    const slowId = `slow-${Date.now()}`;
    const slow = await createWebhook(hubId, {
      label: 'Hanging endpoint',
      events: ['dynamic-content.edition.scheduled'],
      handlers: [`${receiver.url}/hanging`],
      filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.kind' }, { value: slowId }] }],
    });
    const fast = await createWebhook(hubId, {
      label: 'Healthy endpoint',
      events: ['dynamic-content.edition.scheduled'],
      handlers: [`${receiver.url}/healthy`],
      filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.kind' }, { value: `fast-${slowId}` }] }],
    });
    receiver.respondWith((request) => (request.path === '/hanging' ? { hang: true } : { status: 200 }));
    for (let i = 0; i < 30; i++) {
      await emitEvent(hubId, { name: 'dynamic-content.edition.scheduled', payload: { kind: slowId } });
    }
    const fastIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const emitted = await emitEvent(hubId, {
        name: 'dynamic-content.edition.scheduled',
        payload: { kind: `fast-${slowId}` },
      });
      fastIds.push(emitted.deliveries.find((delivery) => delivery.webhookId === fast.id)?.id as string);
    }
    worker = await startWorker({ concurrency: 20, maxInFlightPerWebhook: 5, timeoutMs: 10_000, schedule: [0] });
    await Promise.all(fastIds.map((id) => waitForDelivery(id, ['DELIVERED'])));
    const hanging = receiver.requests.filter((request) => request.path === '/hanging').length;
    expect(hanging).toBeLessThanOrEqual(5);
    expect(await prisma().delivery.count({ where: { webhookId: slow.id, status: 'DELIVERED' } })).toBe(0);
  });
});
