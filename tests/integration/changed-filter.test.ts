import { DynamicContent, Webhook } from 'dc-management-sdk-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../lib/auth/api-clients';
import { createHub } from '../../lib/hubs/hubs';
import { defaultHubId, startApiServer, startWorker, waitForDelivery } from '../support/herald';
import { Receiver } from '../support/receiver';

/**
 * Content-aware delivery over the HTTP API: `changed` filters and templates that read `previous`
 * and `changes`, with a real worker and a loopback receiver.
 */
let api: { url: string; close(): Promise<void> };
let token: string;
let credentials: { client_id: string; client_secret: string };
let receiver: Receiver;
let worker: Awaited<ReturnType<typeof startWorker>>;

const UPDATED = 'dynamic-content.content-item.updated';

beforeAll(async () => {
  api = await startApiServer();
  receiver = await new Receiver().start();
  worker = await startWorker();
  const client = await createApiClient('changed filter test');
  credentials = { client_id: client.id, client_secret: client.secret };
  const response = await fetch(`${api.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', ...credentials }),
  });
  token = ((await response.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await worker.stop();
  await receiver.close();
  await api.close();
});

async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown) {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

interface Emitted {
  id: string;
  deliveries: { id: string; webhookId: string; status: string }[];
}

async function createWebhookViaApi(hubId: string, webhook: Record<string, unknown>): Promise<string> {
  const created = await call<{ id: string }>('POST', `/v2/content/hubs/${hubId}/webhooks`, {
    events: [UPDATED],
    active: true,
    method: 'POST',
    ...webhook,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

/** Emits through the API; the delivery of `webhookId` it made. */
async function emit(hubId: string, webhookId: string, payload: Record<string, unknown>) {
  const answer = await call<Emitted>('POST', `/v2/content/hubs/${hubId}/events`, { name: UPDATED, payload });
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  const delivery = answer.body.deliveries.find((candidate) => candidate.webhookId === webhookId);
  if (!delivery) throw new Error('no delivery for the webhook');
  return delivery;
}

interface RequestView {
  status: string;
  filterReport: { matched: boolean; filters: { type: string; outcome: string; change?: string; reason?: string }[] };
}

const readRequest = (hubId: string, webhookId: string, id: string) =>
  call<RequestView>('GET', `/v2/content/hubs/${hubId}/webhooks/${webhookId}/requests/${id}`);

const item = (id: string, slug: string, title: string, extra: Record<string, unknown> = {}) => ({
  id,
  label: title,
  body: { _meta: { schema: 'https://example.com/article.json' }, slug, title, ...extra },
});

describe('changed filters', () => {
  it('send the first sight of an item and a slug change, not a title edit, with "was …, now …" in the report', async () => {
    const hub = await createHub('changed-slug', 'Changed slug');
    const webhookId = await createWebhookViaApi(hub.id, {
      label: 'Slug changes',
      handlers: [`${receiver.url}/slug`],
      filters: [{ type: 'changed', arguments: [{ jsonPath: '$.payload.body.slug' }] }],
    });
    const read = await call<{ filters: unknown }>('GET', `/v2/content/hubs/${hub.id}/webhooks/${webhookId}`);
    expect(read.body.filters).toEqual([{ type: 'changed', arguments: [{ jsonPath: '$.payload.body.slug' }] }]);

    const first = await emit(hub.id, webhookId, item('article-1', 'winter-sale', 'Winter sale'));
    expect(first.status).toBe('QUEUED');
    const titleEdit = await emit(hub.id, webhookId, item('article-1', 'winter-sale', 'Winter sale!'));
    expect(titleEdit.status).toBe('FILTERED');
    const slugChange = await emit(hub.id, webhookId, item('article-1', 'winter-sale-2026', 'Winter sale!'));
    expect(slugChange.status).toBe('QUEUED');
    // Another item is a key of its own: its first event is sent.
    const otherItem = await emit(hub.id, webhookId, item('article-2', 'winter-sale', 'Other'));
    expect(otherItem.status).toBe('QUEUED');

    const reportOf = async (id: string) => (await readRequest(hub.id, webhookId, id)).body.filterReport.filters[0];
    expect(await reportOf(first.id)).toMatchObject({ outcome: 'matched', change: 'first event of this key' });
    expect(await reportOf(titleEdit.id)).toMatchObject({
      type: 'changed',
      outcome: 'not_matched',
      change: 'was "winter-sale", now "winter-sale"',
      reason: 'unchanged since the previous event of this key',
    });
    expect(await reportOf(slugChange.id)).toMatchObject({
      outcome: 'matched',
      change: 'was "winter-sale", now "winter-sale-2026"',
    });
    // Each sent event is waited for: the worker may deliver them in any order.
    for (const sent of [first, slugChange, otherItem]) await waitForDelivery(sent.id, ['DELIVERED']);
    const sent = receiver.requests.filter((request) => request.path === '/slug').map((r) => JSON.parse(r.body));
    expect(sent.map((envelope) => envelope.payload.body.slug).sort()).toEqual(
      ['winter-sale', 'winter-sale', 'winter-sale-2026'].sort(),
    );
  });

  it('compare with the previous event of the key within one batch too, in order', async () => {
    const hub = await createHub('changed-batch', 'Changed batch');
    const webhookId = await createWebhookViaApi(hub.id, {
      label: 'Slug changes (batch)',
      handlers: [`${receiver.url}/batch`],
      filters: [{ type: 'changed', arguments: [{ jsonPath: '$.payload.body.slug' }] }],
    });
    const events = [
      item('b-1', 'a', 'A'),
      item('b-1', 'a', 'A, retitled'),
      item('b-1', 'b', 'A, retitled'),
      item('b-1', 'b', 'A, again'),
    ].map((payload) => ({ name: UPDATED, payload }));
    const answer = await call<{ events: Emitted[] }>('POST', `/v2/content/hubs/${hub.id}/events:batch`, { events });
    expect(answer.status).toBe(202);
    const statuses = answer.body.events.map(
      (event) => event.deliveries.find((delivery) => delivery.webhookId === webhookId)?.status,
    );
    expect(statuses).toEqual(['QUEUED', 'FILTERED', 'QUEUED', 'FILTERED']);
  });

  it('combine with equal (AND): a slug change of another schema is not sent', async () => {
    const hub = await createHub('changed-and', 'Changed and equal');
    const webhookId = await createWebhookViaApi(hub.id, {
      label: 'Article slug changes',
      handlers: [`${receiver.url}/and`],
      filters: [
        {
          type: 'equal',
          arguments: [{ jsonPath: '$.payload.body._meta.schema' }, { value: 'https://example.com/article.json' }],
        },
        { type: 'changed', arguments: [{ jsonPath: '$.payload.body.slug' }] },
      ],
    });
    const page = (slug: string) => ({
      id: 'page-1',
      body: { _meta: { schema: 'https://example.com/page.json' }, slug },
    });
    expect((await emit(hub.id, webhookId, page('home'))).status).toBe('FILTERED');
    const pageChange = await emit(hub.id, webhookId, page('start'));
    expect(pageChange.status).toBe('FILTERED');
    const report = (await readRequest(hub.id, webhookId, pageChange.id)).body.filterReport.filters;
    expect(report.map((entry) => entry.outcome)).toEqual(['not_matched', 'matched']);
    expect((await emit(hub.id, webhookId, item('article-9', 'x', 'X'))).status).toBe('QUEUED');
  });

  it('are refused with a clear error when their arguments are not [{ jsonPath }]', async () => {
    const hub = await createHub('changed-invalid', 'Changed invalid');
    const answer = await call<{ errors: { property?: string; message: string }[] }>(
      'POST',
      `/v2/content/hubs/${hub.id}/webhooks`,
      {
        label: 'Bad',
        events: [UPDATED],
        handlers: [`${receiver.url}/bad`],
        filters: [{ type: 'changed', arguments: [{ jsonPath: '$.payload.body[' }] }],
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]?.property).toBe('filters.0.arguments.0.jsonPath');
  });

  it('leave the SDK able to create, read and update webhooks, and equal/in filters as they were', async () => {
    const hubId = await defaultHubId();
    const client = new DynamicContent(credentials, { apiUrl: `${api.url}/v2/content`, authUrl: api.url });
    const hub = await client.hubs.get(hubId);
    // The SDK's types know equal and in only; the wire format carries the third type as it is.
    const filters = [
      { type: 'equal', arguments: [{ jsonPath: '$.payload.id' }, { value: 'abc' }] },
      { type: 'changed', arguments: [{ jsonPath: '$.payload.body.slug' }] },
    ] as unknown as Webhook['filters'];
    const created = await hub.related.webhooks.create(
      new Webhook({ label: 'SDK changed', events: [UPDATED], handlers: ['https://example.com/hook'], filters }),
    );
    const fetched = await hub.related.webhooks.get(created.id as string);
    expect(fetched.filters).toEqual(filters);
    const updated = await fetched.related.update(new Webhook({ label: 'SDK changed, renamed' }));
    expect(updated.filters).toEqual(filters);
    await updated.related.delete();
  });
});

describe('templates with previous and changes', () => {
  it('read previous.body.slug and iterate changes; both are absent on the first event of a key', async () => {
    const hub = await createHub('changed-template', 'Changed template');
    const template =
      '{"slug": "{{payload.body.slug}}", "was": "{{#if previous}}{{previous.body.slug}}{{else}}none{{/if}}", ' +
      '"changes": [{{#each changes}}"{{this}}"{{#unless @last}},{{/unless}}{{/each}}]}';
    const webhookId = await createWebhookViaApi(hub.id, {
      label: 'Redirects',
      handlers: [`${receiver.url}/redirects`],
      customPayload: { type: 'text/x-handlebars-template', value: template },
    });
    const first = await emit(hub.id, webhookId, item('t-1', 'old-slug', 'Title'));
    await waitForDelivery(first.id, ['DELIVERED']);
    // Two more versions in one batch: the second is rendered after the third was stored, and its
    // `previous` is still the first.
    const batch = await call<{ events: Emitted[] }>('POST', `/v2/content/hubs/${hub.id}/events:batch`, {
      events: [
        { name: UPDATED, payload: item('t-1', 'new-slug', 'Title', { tags: ['a'] }) },
        { name: UPDATED, payload: item('t-1', 'newest-slug', 'Title 2', { tags: ['a'] }) },
      ],
    });
    const [second, third] = batch.body.events.map((event) => event.deliveries[0] as { id: string });
    if (!second || !third) throw new Error('the batch made no deliveries');
    await waitForDelivery(second.id, ['DELIVERED']);
    await waitForDelivery(third.id, ['DELIVERED']);
    const bodies = receiver.requests
      .filter((request) => request.path === '/redirects')
      .map((request) => JSON.parse(request.body) as { slug: string; was: string; changes: string[] });
    const bySlug = new Map(bodies.map((body) => [body.slug, body]));
    expect(bySlug.get('old-slug')).toEqual({ slug: 'old-slug', was: 'none', changes: [] });
    expect(bySlug.get('new-slug')).toEqual({ slug: 'new-slug', was: 'old-slug', changes: ['body.slug', 'body.tags'] });
    expect(bySlug.get('newest-slug')).toEqual({
      slug: 'newest-slug',
      was: 'new-slug',
      changes: ['label', 'body.slug', 'body.title'],
    });
  });
});
