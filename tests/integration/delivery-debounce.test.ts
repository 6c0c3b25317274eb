import { DynamicContent, Webhook } from 'dc-management-sdk-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../lib/auth/api-clients';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { createHub } from '../../lib/hubs/hubs';
import { startWorker } from '../support/herald';
import { HeraldApi } from '../support/herald-api';
import { type ReceivedRequest, Receiver } from '../support/receiver';
import { waitFor } from '../support/wait';

/**
 * Debounce through the HTTP API: a burst of saves makes one delivery of the last version once the
 * key has been quiet for the debounce; a key that never goes quiet still delivers after the
 * maximum wait. And `delivery` round-trips through the API and the official SDK.
 */
const EVENT = 'dynamic-content.content-item.updated';

let api: HeraldApi;
let receiver: Receiver;
let worker: DeliveryWorker;

const versionOf = (request: ReceivedRequest) =>
  (JSON.parse(request.body) as { payload: { version: number } }).payload.version;
const arrivals = (path: string) => receiver.requests.filter((request) => request.path === path);

beforeAll(async () => {
  api = await HeraldApi.start('debounce test');
  receiver = await new Receiver().start();
  worker = await startWorker();
});

afterAll(async () => {
  await worker.stop();
  await receiver.close();
  await api.close();
});

describe('debounce', () => {
  it('ten saves within a second with a 2 s debounce make one delivery, of the last version, 2 s or more after the last save', async () => {
    const hub = await createHub('debounce-burst', 'Burst');
    await api.createWebhook(hub.id, {
      label: 'Site rebuild',
      events: [EVENT],
      handlers: [`${receiver.url}/burst`],
      delivery: { mode: 'latest', debounceSeconds: 2 },
    });
    let lastSaveSentAt = 0;
    for (let v = 1; v <= 10; v++) {
      lastSaveSentAt = Date.now();
      await api.emit(hub.id, EVENT, { id: 'home', version: v });
    }
    await waitFor(() => arrivals('/burst').length === 1, { what: 'the debounced delivery' });
    const [delivery] = arrivals('/burst');
    expect(versionOf(delivery as ReceivedRequest)).toBe(10);
    expect(delivery?.receivedAt).toBeGreaterThanOrEqual(lastSaveSentAt + 2000);
    // The nine others are SUPERSEDED, none is waiting: nothing more can arrive. The receiver has the
    // request before the worker has its answer, so the log is read once it says DELIVERED.
    const webhookId = (await firstWebhook(hub.id)).id;
    const statuses = await waitFor(
      async () => {
        const { body } = await api.call<{ _embedded: { requests: { status: string }[] } }>(
          'GET',
          `/hubs/${hub.id}/webhooks/${webhookId}/requests?limit=20`,
        );
        const all = body._embedded.requests.map((request) => request.status);
        return all.includes('DELIVERED') && all;
      },
      { what: 'the debounced delivery to be DELIVERED' },
    );
    expect(statuses.sort()).toEqual(['DELIVERED', ...Array(9).fill('SUPERSEDED')]);
  });

  it('a key saved every 100 ms with a 1 s debounce still delivers once it has waited 10 × the debounce', async () => {
    const hub = await createHub('debounce-max-wait', 'Never quiet');
    await api.createWebhook(hub.id, {
      label: 'Rebuild',
      events: [EVENT],
      handlers: [`${receiver.url}/busy`],
      delivery: { mode: 'latest', debounceSeconds: 1, key: '$.resource' },
    });
    const firstSaveAt = Date.now();
    const saves: number[] = [];
    // Saves of different items, one key (the hub): the key is never quiet for a second.
    while (arrivals('/busy').length === 0 && Date.now() - firstSaveAt < 40_000) {
      saves.push(Date.now());
      await api.emit(hub.id, EVENT, { id: `item-${saves.length % 3}`, version: saves.length });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [first] = arrivals('/busy');
    expect(first).toBeDefined();
    const arrivedAt = first?.receivedAt ?? 0;
    // The key was never quiet for the debounce before the delivery, so the maximum wait sent it.
    const gaps = saves.filter((at) => at < arrivedAt).map((at, index, all) => at - (all[index - 1] ?? at));
    expect(Math.max(...gaps)).toBeLessThan(1000);
    expect(arrivedAt).toBeGreaterThanOrEqual(firstSaveAt + 10_000);
    expect(versionOf(first as ReceivedRequest)).toBeGreaterThan(1);
  }, 60_000);
});

async function firstWebhook(hubId: string): Promise<{ id: string }> {
  const { body } = await api.call<{ _embedded: { webhooks: { id: string }[] } }>('GET', `/hubs/${hubId}/webhooks`);
  return body._embedded.webhooks[0] as { id: string };
}

describe('delivery settings in the API', () => {
  it('round-trips, with defaults, and refuses bad values naming the field', async () => {
    const hub = await createHub('delivery-api', 'Delivery API');
    const base = { label: 'Indexer', events: [EVENT], handlers: ['https://example.com/h'] };
    const created = await api.call<Record<string, unknown>>('POST', `/hubs/${hub.id}/webhooks`, {
      ...base,
      delivery: { mode: 'latest', debounceSeconds: 5 },
    });
    expect(created.status).toBe(201);
    expect(created.body.delivery).toEqual({ mode: 'latest', debounceSeconds: 5, key: null });
    const path = `/hubs/${hub.id}/webhooks/${created.body.id}`;
    const patched = await api.call<Record<string, unknown>>('PATCH', path, {
      delivery: { mode: 'latest', key: '$.payload.body.slug' },
    });
    expect(patched.body.delivery).toEqual({ mode: 'latest', debounceSeconds: 0, key: '$.payload.body.slug' });
    expect((await api.call<Record<string, unknown>>('GET', path)).body.delivery).toEqual(patched.body.delivery);
    // Back to every: the field is left out, as the Management API's webhook has no such field.
    const every = await api.call<Record<string, unknown>>('PATCH', path, { delivery: { mode: 'every' } });
    expect(every.body.delivery).toBeUndefined();

    const bad = async (delivery: unknown) => {
      const answer = await api.call<{ errors: { property: string; message: string }[] }>(
        'POST',
        `/hubs/${hub.id}/webhooks`,
        { ...base, delivery },
      );
      expect(answer.status).toBe(400);
      return answer.body.errors.map((error) => error.message);
    };
    expect(await bad({ mode: 'latest', debounceSeconds: 4000 })).toEqual(['delivery.debounceSeconds: must be 0–3600']);
    expect(await bad({ mode: 'latest', debounceSeconds: 1.5 })).toEqual([
      'delivery.debounceSeconds: must be a whole number of seconds, 0–3600',
    ]);
    expect(await bad({ mode: 'sometimes' })).toEqual(['delivery.mode: must be "every" or "latest"']);
    expect((await bad({ mode: 'latest', key: 'payload.id' }))[0]).toMatch(
      /^delivery\.key: invalid JSONPath "payload\.id": it must start with "\$"/,
    );
    expect(await bad({ mode: 'every', debounceSeconds: 10 })).toEqual([
      'delivery.debounceSeconds: a debounce needs "mode": "latest" (it delivers only the last version of a burst)',
    ]);
  });

  it('the official SDK still creates, reads and updates a webhook, keeping its delivery settings', async () => {
    const hub = await createHub('delivery-sdk', 'Delivery SDK');
    const client = await createApiClient('SDK delivery');
    const dc = new DynamicContent(
      { client_id: client.id, client_secret: client.secret },
      { apiUrl: `${api.url}/v2/content`, authUrl: api.url },
    );
    const sdkHub = await dc.hubs.get(hub.id);
    const created = await sdkHub.related.webhooks.create(
      new Webhook({ label: 'SDK', events: [EVENT], handlers: ['https://example.com/sdk'], active: true }),
    );
    const path = `/hubs/${hub.id}/webhooks/${created.id}`;
    expect((await api.call<Record<string, unknown>>('GET', path)).body.delivery).toBeUndefined();
    await api.call('PATCH', path, { delivery: { mode: 'latest', debounceSeconds: 30 } });

    // Read, edit, write back with the SDK: the field it does not know survives.
    const fetched = await sdkHub.related.webhooks.get(created.id as string);
    expect(fetched.label).toBe('SDK');
    const updated = await fetched.related.update(new Webhook({ label: 'SDK renamed' }));
    expect(updated.label).toBe('SDK renamed');
    expect((await api.call<Record<string, unknown>>('GET', path)).body.delivery).toEqual({
      mode: 'latest',
      debounceSeconds: 30,
      key: null,
    });
  });
});
