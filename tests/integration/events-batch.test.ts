import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../lib/auth/api-clients';
import { prisma } from '../../lib/db/client';
import { MAX_BATCH_EVENTS } from '../../lib/events/emit-event';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { apiToken, defaultHubId, startApiServer, startWorker } from '../support/herald';
import { Receiver } from '../support/receiver';

/** `POST /v2/content/hubs/{hubId}/events:batch` over real HTTP, delivered by a real worker. */
let api: { url: string; close(): Promise<void> };
let token: string;
let hubId: string;
let receiver: Receiver;
let worker: Awaited<ReturnType<typeof startWorker>>;

const EVENT = 'dynamic-content.content-item.updated';

beforeAll(async () => {
  hubId = await defaultHubId();
  api = await startApiServer();
  receiver = await new Receiver().start();
  worker = await startWorker();
  token = await apiToken(api.url, 'batch test');
});

afterAll(async () => {
  await worker.stop();
  await receiver.close();
  await api.close();
});

interface BatchAnswer {
  events: { id: string; sequenceId: number; deliveries: { id: string; webhookId: string; status: string }[] }[];
  errors?: { property?: string; message: string; code: string }[];
}

async function postBatch(body: unknown, path = `/v2/content/hubs/${hubId}/events:batch`) {
  const response = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as BatchAnswer };
}

const eventCount = () => prisma().event.count({ where: { hubId } });

describe('POST …/events:batch', () => {
  it('takes many events at once: 202 after commit with ids and consecutive sequenceIds in order, each delivered', async () => {
    const webhook = await createWebhook(hubId, {
      label: 'batch',
      events: [EVENT],
      handlers: [`${receiver.url}/batch`],
    });
    const events = Array.from({ length: 50 }, (_, index) => ({
      name: EVENT,
      payload: { id: `item-${index}`, index },
      requestId: `batch-${index}`,
    }));
    const { status, body } = await postBatch({ events });
    expect(status).toBe(202);
    expect(body.events).toHaveLength(50);
    const first = body.events[0]?.sequenceId ?? 0;
    expect(body.events.map((event) => event.sequenceId)).toEqual(events.map((_, index) => first + index));
    expect(body.events.every((event) => event.deliveries.length === 1)).toBe(true);
    expect(body.events[0]?.deliveries[0]).toMatchObject({ webhookId: webhook.id, status: 'QUEUED' });

    // Committed when answered: every event is stored, in the order sent, with its requestId.
    const stored = await prisma().event.findMany({
      where: { id: { in: body.events.map((event) => event.id) } },
      orderBy: { sequenceId: 'asc' },
    });
    expect(stored.map((event) => event.id)).toEqual(body.events.map((event) => event.id));
    expect(stored.map((event) => event.requestId)).toEqual(events.map((event) => event.requestId));

    await receiver.waitForRequests(50);
    const indexes = receiver.requests.map(
      (request) => (JSON.parse(request.body) as { payload: { index: number } }).payload.index,
    );
    expect(indexes.sort((a, b) => a - b)).toEqual(events.map((_, index) => index));
  });

  it('is all or nothing: one bad event refuses the batch, naming it by index', async () => {
    const before = await eventCount();
    const events = [
      { name: EVENT, payload: { id: 'fine' } },
      { name: EVENT, payload: { id: 'fine too' } },
      { name: EVENT, payload: [1, 2] },
      { name: 'dynamic-content.nope', payload: {} },
    ];
    const { status, body } = await postBatch({ events });
    expect(status).toBe(400);
    expect(body.errors?.map((error) => error.property)).toEqual(['events.2.payload', 'events.3.name']);
    expect(await eventCount()).toBe(before);

    const nul = await postBatch({
      events: [
        { name: EVENT, payload: { id: 'fine' } },
        { name: EVENT, payload: { a: 'x\u0000' } },
      ],
    });
    expect(nul.status).toBe(400);
    expect(nul.body.errors?.[0]?.property).toBe('events.1.payload.a');
    expect(await eventCount()).toBe(before);
  });

  it('refuses an empty batch, more than the limit, and bodies that are not a batch', async () => {
    const before = await eventCount();
    expect((await postBatch({ events: [] })).body.errors?.[0]).toMatchObject({ property: 'events' });
    const tooMany = await postBatch({
      events: Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => ({ name: EVENT, payload: {} })),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors?.[0]?.message).toContain(`at most ${MAX_BATCH_EVENTS}`);
    expect((await postBatch([{ name: EVENT, payload: {} }])).status).toBe(400);
    expect((await postBatch('not json')).status).toBe(400);
    expect(
      (await postBatch({ events: [{ name: EVENT, payload: {} }] }, '/v2/content/hubs/nope/events:batch')).status,
    ).toBe(404);
    expect(await eventCount()).toBe(before);
  });

  it('takes the full 500 events of content-item.updated size', async () => {
    const sample = (await import('../../lib/events/samples/content-item.updated.json')).default.payload;
    const events = Array.from({ length: MAX_BATCH_EVENTS }, (_, index) => ({
      name: EVENT,
      payload: { ...sample, id: `full-${index}` },
    }));
    const { status, body } = await postBatch({ events });
    expect(status).toBe(202);
    expect(body.events).toHaveLength(MAX_BATCH_EVENTS);
  });

  it('needs a token with the events:write scope, like single events', async () => {
    const body = JSON.stringify({ events: [{ name: EVENT, payload: {} }] });
    const url = `${api.url}/v2/content/hubs/${hubId}/events:batch`;
    const anonymous = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(anonymous.status).toBe(401);

    const reader = await createApiClient('batch reader', { scopes: ['webhooks:read'] });
    const tokenResponse = await fetch(`${api.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: reader.id,
        client_secret: reader.secret,
      }),
    });
    const readerToken = ((await tokenResponse.json()) as { access_token: string }).access_token;
    const refused = await fetch(url, {
      method: 'POST',
      headers: { Authorization: `Bearer ${readerToken}`, 'Content-Type': 'application/json' },
      body,
    });
    expect(refused.status).toBe(403);
  });
});
