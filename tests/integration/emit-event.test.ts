import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listDeliveries } from '../../lib/activity-log/read-deliveries';
import { createApiClient } from '../../lib/auth/api-clients';
import { database, prisma } from '../../lib/db/client';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvent } from '../../lib/events/emit-event';
import snapshot from '../../lib/events/samples/snapshot.published.content-item.json';
import { createHub } from '../../lib/hubs/hubs';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { updateWebhook } from '../../lib/webhooks/update-webhook';
import { defaultHubId, startApiServer, startWorker, waitForDelivery } from '../support/herald';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait';

let hubId: string;
let receiver: Receiver;

beforeAll(async () => {
  hubId = await defaultHubId();
  receiver = await new Receiver().start();
});

afterAll(async () => {
  await receiver.close();
});

describe('emitEvent', () => {
  it('gives each hub a gap-free, increasing sequenceId, even under concurrent emits', async () => {
    const hub = await createHub('sequence-test', 'Sequence test');
    const emitted = await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        emitEvent(hub.id, { name: 'dynamic-content.edition.scheduled', payload: { index } }),
      ),
    );
    expect(emitted.map((event) => event.sequenceId).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 25 }, (_, index) => index + 1),
    );
    const other = await createHub('sequence-other', 'Other');
    expect((await emitEvent(other.id, { name: 'dynamic-content.edition.scheduled', payload: {} })).sequenceId).toBe(1);
  });

  it('leaves no gap when an emit fails', async () => {
    const hub = await createHub('sequence-rollback', 'Rollback');
    await emitEvent(hub.id, { name: 'dynamic-content.edition.scheduled', payload: {} });
    await expect(
      emitEvent(hub.id, { name: 'dynamic-content.edition.scheduled', payload: {}, requestId: 'x'.repeat(200) }),
    ).rejects.toThrow('requestId');
    expect((await emitEvent(hub.id, { name: 'dynamic-content.edition.scheduled', payload: {} })).sequenceId).toBe(2);
  });

  it('commits the rest of a group when one emit fails inside the transaction, leaving no gap', async () => {
    const hub = await createHub('sequence-group-failure', 'Group failure');
    const { pool } = database();
    // A real failure after the hub counter moved: the events insert refuses one payload.
    await pool.query(`
      CREATE OR REPLACE FUNCTION refuse_poisoned_event() RETURNS trigger AS $$
      BEGIN
        IF NEW.payload::jsonb ? 'poison' THEN RAISE EXCEPTION 'poisoned event'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      CREATE TRIGGER refuse_poisoned_event BEFORE INSERT ON events
        FOR EACH ROW EXECUTE FUNCTION refuse_poisoned_event();`);
    // Hold the hub's row lock so the first emit waits inside its transaction and the others queue
    // up behind it: they are then committed as one group, the poisoned one among them.
    const blocker = await pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM hubs WHERE id = $1 FOR UPDATE', [hub.id]);
      const emit = (payload: Record<string, unknown>) =>
        emitEvent(hub.id, { name: 'dynamic-content.edition.scheduled', payload });
      const first = emit({ index: 0 });
      await waitFor(
        async () => {
          const { rows } = await pool.query<{ waiting: number }>(
            "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%UPDATE hubs%'",
          );
          return (rows[0]?.waiting ?? 0) > 0 || undefined;
        },
        { what: 'the first emit to wait for the hub lock' },
      );
      const group = [1, 2, 3, 4, 5, 6].map((index) => emit(index === 3 ? { index, poison: true } : { index }));
      await blocker.query('COMMIT');
      const results = await Promise.allSettled([first, ...group]);
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
        'fulfilled',
      ]);
      expect(String((results[3] as PromiseRejectedResult).reason)).toContain('poisoned event');
    } finally {
      blocker.release();
      await pool.query('DROP TRIGGER refuse_poisoned_event ON events; DROP FUNCTION refuse_poisoned_event()');
    }
    const stored = await prisma().event.findMany({ where: { hubId: hub.id }, orderBy: { sequenceId: 'asc' } });
    expect(stored.map((event) => Number(event.sequenceId))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(stored.map((event) => (event.payload as { index: number }).index).sort()).toEqual([0, 1, 2, 4, 5, 6]);
    const next = await emitEvent(hub.id, { name: 'dynamic-content.edition.scheduled', payload: {} });
    expect(next.sequenceId).toBe(7);
  });

  it('refuses a payload nested deeper than the limit, or holding U+0000, naming the field', async () => {
    let deep: Record<string, unknown> = {};
    for (let level = 0; level < 5000; level++) deep = { child: deep };
    await expect(emitEvent(hubId, { name: 'dynamic-content.edition.scheduled', payload: deep })).rejects.toThrow(
      /payload\.child(\.child)*: is nested more than 64 levels deep|nested more than 64 levels deep/,
    );
    await expect(
      emitEvent(hubId, { name: 'dynamic-content.edition.scheduled', payload: { name: 'a\u0000b' } }),
    ).rejects.toThrow('payload.name may not contain the character U+0000');
  });

  it('records a filtered delivery with its report, and a matched one queued', async () => {
    const matching = await createWebhook(hubId, {
      label: 'Root node snapshots',
      events: ['dynamic-content.snapshot.published'],
      handlers: [`${receiver.url}/snap`],
      filters: [
        {
          type: 'in',
          arguments: [
            { jsonPath: '$.payload.rootContentItem.contentTypeUri' },
            { value: ['https://doc-example.com/root-node.json', 'https://doc-example.com/banner.json'] },
          ],
        },
      ],
    });
    const filtered = await createWebhook(hubId, {
      label: 'Edition snapshots',
      events: ['dynamic-content.snapshot.published'],
      handlers: [`${receiver.url}/edition`],
      filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.createdFrom' }, { value: 'edition' }] }],
    });
    const inactive = await createWebhook(hubId, {
      label: 'Inactive',
      events: ['dynamic-content.snapshot.published'],
      handlers: [`${receiver.url}/inactive`],
    });
    await updateWebhook(hubId, inactive.id, { active: false });

    const emitted = await emitEvent(hubId, { name: 'dynamic-content.snapshot.published', payload: snapshot.payload });
    const byWebhook = new Map(emitted.deliveries.map((delivery) => [delivery.webhookId, delivery]));
    expect(byWebhook.has(inactive.id)).toBe(false);
    expect(byWebhook.get(matching.id)?.status).toBe('QUEUED');
    expect(byWebhook.get(filtered.id)?.status).toBe('FILTERED');

    const log = await listDeliveries(hubId, filtered.id, {});
    expect(log.items[0]).toMatchObject({
      status: 'FILTERED',
      request: null,
      event: { name: 'dynamic-content.snapshot.published', sequenceId: emitted.sequenceId },
      filterReport: {
        matched: false,
        filters: [
          {
            jsonPath: '$.payload.createdFrom',
            type: 'equal',
            expected: 'edition',
            found: ['content-item'],
            outcome: 'not_matched',
          },
        ],
      },
    });
    const matched = await listDeliveries(hubId, matching.id, {});
    expect(matched.items[0]?.filterReport.filters[0]).toMatchObject({
      outcome: 'matched',
      matchedValue: 'https://doc-example.com/root-node.json',
    });
  });

  it('remembers the latest version of content items it sees', async () => {
    const item = {
      id: 'item-1',
      version: 3,
      label: 'Banner',
      body: { _meta: { schema: 'https://x/banner.json' }, a: 1 },
    };
    await emitEvent(hubId, { name: 'dynamic-content.content-item.updated', payload: item });
    await emitEvent(hubId, {
      name: 'dynamic-content.content-item.updated',
      payload: { ...item, version: 2, body: { a: 0 } },
    });
    const stored = await prisma().contentItem.findUnique({ where: { hubId_id: { hubId, id: 'item-1' } } });
    expect(stored).toMatchObject({ version: 3, schema: 'https://x/banner.json', body: item.body });
  });
});

describe('the activity log API', () => {
  let worker: DeliveryWorker;
  let api: { url: string; close(): Promise<void> };
  let token: string;

  beforeAll(async () => {
    worker = await startWorker();
    api = await startApiServer();
    const client = await createApiClient('log');
    const response = await fetch(`${api.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.id,
        client_secret: client.secret,
      }),
    });
    token = ((await response.json()) as { access_token: string }).access_token;
  });

  afterAll(async () => {
    await worker.stop();
    await api.close();
  });

  const get = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${api.url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}` } });
    return { status: response.status, body: await response.json() };
  };

  it('lists requests newest first, cursor-paged, with filter report, masked headers and attempts; redelivers', async () => {
    const webhook = await createWebhook(hubId, {
      label: 'Logged',
      events: ['dynamic-content.edition.published'],
      handlers: [`${receiver.url}/logged`],
      headers: [{ key: 'X-Api-Key', value: 'top-secret', secret: true }],
      filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.keep' }, { value: 'yes' }] }],
    });
    const ids: string[] = [];
    for (const keep of ['yes', 'no', 'yes']) {
      const emitted = await emitEvent(hubId, { name: 'dynamic-content.edition.published', payload: { keep } });
      ids.push(emitted.deliveries.find((delivery) => delivery.webhookId === webhook.id)?.id as string);
    }
    await waitForDelivery(ids[0] as string, ['DELIVERED']);
    await waitForDelivery(ids[2] as string, ['DELIVERED']);

    const base = `/v2/content/hubs/${hubId}/webhooks/${webhook.id}/requests`;
    const first = await get(`${base}?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body._embedded.requests.map((request: { id: string }) => request.id)).toEqual([ids[2], ids[1]]);
    expect(first.body._embedded.requests[1].status).toBe('FILTERED');
    const delivered = first.body._embedded.requests[0];
    expect(delivered.request.headers['X-Api-Key']).toBe('********');
    expect(delivered.attempts[0].response.status).toBe(200);
    expect(JSON.stringify(first.body)).not.toContain('top-secret');

    const second = await get(`${base}?limit=2&cursor=${first.body.cursor.next}`);
    expect(second.body._embedded.requests.map((request: { id: string }) => request.id)).toEqual([ids[0]]);
    expect(second.body.cursor.next).toBeNull();

    const excluded = await get(`${base}?excludeStatus=FILTERED`);
    expect(excluded.body._embedded.requests.map((request: { id: string }) => request.id)).toEqual([ids[2], ids[0]]);

    const before = receiver.requests.filter((request) => request.path === '/logged').length;
    const redelivered = await get(`${base}/${ids[0]}/redeliver`, { method: 'POST' });
    expect(redelivered.status).toBe(202);
    expect(redelivered.body.status).toBe('QUEUED');
    await waitFor(() => receiver.requests.filter((request) => request.path === '/logged').length === before + 1, {
      what: 'the redelivered request',
    });

    expect((await get(`${base}?limit=500`)).status).toBe(400);
    expect((await get(`${base}?excludeStatus=BOGUS`)).body.errors[0].property).toBe('excludeStatus.0');
    expect((await get(`${base}/not-a-uuid/redeliver`, { method: 'POST' })).status).toBe(404);
  });
});
