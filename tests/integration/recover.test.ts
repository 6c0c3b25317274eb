import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvent } from '../../lib/events/emit-event';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { updateWebhook } from '../../lib/webhooks/update-webhook';
import { apiToken } from '../support/api-token';
import { defaultHubId, startApiServer, startWorker, waitForDelivery } from '../support/herald';
import { Receiver } from '../support/receiver';

let api: { url: string; close(): Promise<void> };
let token: string;
let hubId: string;
let receiver: Receiver;
let worker: DeliveryWorker | undefined;
/** Items whose deliveries the receiver refuses while `refusing` is on. */
const refused = new Set<string>();
let refusing = true;

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

async function recover(webhookId: string, body: unknown) {
  const response = await fetch(`${api.url}/v2/content/hubs/${hubId}/webhooks/${webhookId}/recover`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function webhookFor(label: string) {
  return createWebhook(hubId, {
    label,
    events: ['dynamic-content.content-item.created'],
    handlers: [`${receiver.url}/${encodeURIComponent(label)}`],
  });
}

async function emit(item: string): Promise<Map<string, string>> {
  const emitted = await emitEvent(hubId, { name: 'dynamic-content.content-item.created', payload: { id: item } });
  return new Map(emitted.deliveries.map((delivery) => [delivery.webhookId, delivery.id]));
}

const sentTo = (label: string) =>
  receiver.requests.filter((request) => request.path === `/${encodeURIComponent(label)}`);

beforeAll(async () => {
  hubId = await defaultHubId();
  api = await startApiServer();
  token = await apiToken(api.url, 'recover test');
  receiver = await new Receiver((request) => {
    const item = (JSON.parse(request.body) as { payload: { id: string } }).payload.id;
    return refusing && refused.has(item) ? { status: 503 } : { status: 200 };
  }).start();
});

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

afterAll(async () => {
  await api.close();
  await receiver.close();
});

describe('POST /webhooks/{id}/recover', () => {
  it('re-sends exactly the FAILED deliveries of the window, once, with their webhook-id', async () => {
    const webhook = await webhookFor('Recover me');
    const other = await webhookFor('Someone else');
    worker = await startWorker({ schedule: [0] });
    for (const item of ['f1', 'f2', 'f3', 'old']) refused.add(item);
    const deliveries = new Map<string, string>();
    for (const item of ['f1', 'ok1', 'f2', 'ok2', 'f3', 'old']) {
      const ids = await emit(item);
      deliveries.set(item, ids.get(webhook.id) as string);
      deliveries.set(`other-${item}`, ids.get(other.id) as string);
    }
    for (const [item, id] of deliveries) {
      const failing = refused.has(item.replace('other-', ''));
      await waitForDelivery(id, [failing ? 'FAILED' : 'DELIVERED']);
    }
    // One failure lies outside the window: its event arrived two days ago.
    await prisma().delivery.update({
      where: { id: deliveries.get('old') },
      data: { createdDate: new Date(Date.now() - 48 * HOUR) },
    });
    await worker.stop();
    worker = undefined;
    refusing = false;
    const before = sentTo('Recover me').length;
    const otherBefore = sentTo('Someone else').length;

    // Twice before any worker runs: the second finds nothing FAILED any more.
    const window = { since: iso(Date.now() - HOUR) };
    expect(await recover(webhook.id, window)).toEqual({ status: 202, body: { count: 3 } });
    expect(await recover(webhook.id, window)).toEqual({ status: 202, body: { count: 0 } });

    worker = await startWorker({ schedule: [0] });
    const recovered = ['f1', 'f2', 'f3'].map((item) => deliveries.get(item) as string);
    for (const id of recovered) {
      const done = await waitForDelivery(id, ['DELIVERED']);
      expect(done.chain).toBe(2);
      expect(done.attempts.map((attempt) => [attempt.chain, attempt.succeeded])).toEqual([
        [1, false],
        [2, true],
      ]);
    }
    expect(await recover(webhook.id, window)).toEqual({ status: 202, body: { count: 0 } });
    const resent = sentTo('Recover me').slice(before);
    expect(resent.map((request) => request.headers['webhook-id']).sort()).toEqual([...recovered].sort());
    // Nothing else moved: the old failure, and the other webhook's failures, are still FAILED and unsent.
    expect(sentTo('Someone else').length).toBe(otherBefore);
    const old = await prisma().delivery.findUniqueOrThrow({ where: { id: deliveries.get('old') } });
    expect(old.status).toBe('FAILED');
    expect(await prisma().delivery.count({ where: { webhookId: other.id, status: 'FAILED' } })).toBe(4);
  });

  it('honours until, and counts what a window holds', async () => {
    const webhook = await webhookFor('Windowed');
    refusing = true;
    refused.add('w1');
    worker = await startWorker({ schedule: [0] });
    const id = (await emit('w1')).get(webhook.id) as string;
    await waitForDelivery(id, ['FAILED']);
    const { countRecoverable } = await import('../../lib/activity-log/recover');
    expect(
      await countRecoverable(hubId, webhook.id, { since: iso(Date.now() - HOUR), until: iso(Date.now() - HOUR / 2) }),
    ).toBe(0);
    expect(await countRecoverable(hubId, webhook.id, { since: iso(Date.now() - HOUR) })).toBe(1);
    expect(await recover(webhook.id, { since: iso(Date.now() - 2 * HOUR), until: iso(Date.now() - HOUR) })).toEqual({
      status: 202,
      body: { count: 0 },
    });
  });

  it('refuses a bad window, an unknown webhook, and a webhook that is off', async () => {
    const webhook = await webhookFor('Refusals');
    const missing = await recover(webhook.id, {});
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('since');
    const backwards = await recover(webhook.id, { since: iso(Date.now()), until: iso(Date.now() - HOUR) });
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.body)).toContain('until must be after since');
    expect((await recover(webhook.id, { since: 'yesterday' })).status).toBe(400);
    expect((await recover('000000000000000000000000', { since: iso(0) })).status).toBe(404);
    await updateWebhook(hubId, webhook.id, { active: false });
    const off = await recover(webhook.id, { since: iso(0) });
    expect(off.status).toBe(409);
    expect(JSON.stringify(off.body)).toContain('turn it on before recovering');
  });
});
