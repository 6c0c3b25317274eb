import { DynamicContent, type Hub, Webhook } from 'dc-management-sdk-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../lib/auth/api-clients';
import { prisma } from '../../lib/db/client';
import { callApi } from '../support/api-call';
import { defaultHubId, startApiServer } from '../support/herald';

let api: { url: string; close(): Promise<void> };
let credentials: { client_id: string; client_secret: string };
let hubId: string;
let token: string;

const call = (path: string, init?: RequestInit) => callApi(api.url, token, path, init);

beforeAll(async () => {
  hubId = await defaultHubId();
  api = await startApiServer();
  const client = await createApiClient('SDK test');
  credentials = { client_id: client.id, client_secret: client.secret };
  const response = await fetch(`${api.url}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...credentials }),
  });
  token = ((await response.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await api.close();
});

describe('OAuth and authentication', () => {
  it('issues tokens for client credentials and refuses wrong ones', async () => {
    const good = await fetch(`${api.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', ...credentials }),
    });
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: 3600,
      scope: 'events:write webhooks:read webhooks:write content:read',
    });

    const bad = await fetch(`${api.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...credentials, grant_type: 'client_credentials', client_secret: 'wrong' }),
    });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('needs a bearer token on every API call, whatever the scheme case', async () => {
    const none = await fetch(`${api.url}/v2/content/hubs`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const forged = await fetch(`${api.url}/v2/content/hubs`, { headers: { Authorization: 'Bearer abc.def' } });
    expect(forged.status).toBe(401);
    const lower = await fetch(`${api.url}/v2/content/hubs`, { headers: { Authorization: `bearer ${token}` } });
    expect(lower.status).toBe(200);
  });
});

describe('the official SDK against Herald', () => {
  it('creates, lists, gets, updates and deletes a webhook', async () => {
    const dc = new DynamicContent(credentials, { apiUrl: `${api.url}/v2/content`, authUrl: api.url });
    const hub: Hub = await dc.hubs.get(hubId);
    expect(hub.id).toBe(hubId);
    expect(hub.name).toBe('default');

    const created = await hub.related.webhooks.create(
      new Webhook({
        label: 'SDK webhook',
        events: ['dynamic-content.content-item.created', 'dynamic-content.content-item.updated'],
        handlers: ['https://example.com/webhook'],
        active: true,
        method: 'POST',
        headers: [
          { key: 'X-Plain', value: 'plain', secret: false },
          { key: 'X-Secret', value: 'shh', secret: true },
        ],
        filters: [
          { type: 'equal', arguments: [{ jsonPath: '$.payload.id' }, { value: 'abc' }] },
          { type: 'in', arguments: [{ jsonPath: '$.payload.locale' }, { value: ['en-GB', 'fr-FR'] }] },
        ],
        customPayload: { type: 'text/x-handlebars-template', value: '{"id": "{{payload.id}}"}' },
      }),
    );
    expect(created.id).toMatch(/^[0-9a-f]{24}$/);
    expect(created.secret).toHaveLength(128);
    expect(created.headers).toEqual([
      { key: 'X-Plain', value: 'plain', secret: false },
      { key: 'X-Secret', value: null, secret: true },
    ]);

    const list = await hub.related.webhooks.list({ size: 50 });
    expect(list.getItems().map((webhook) => webhook.id)).toContain(created.id);
    expect(list.page?.totalElements).toBeGreaterThanOrEqual(1);

    const fetched = await hub.related.webhooks.get(created.id as string);
    expect(fetched.label).toBe('SDK webhook');
    expect(fetched.filters).toEqual(created.filters);

    // Read, edit, write back: the secret header keeps its value though it came back as null.
    const updated = await fetched.related.update(
      new Webhook({ label: 'Renamed', headers: fetched.headers, method: 'PUT' }),
    );
    expect(updated.label).toBe('Renamed');
    expect(updated.method).toBe('PUT');
    expect(updated.events).toEqual(created.events);
    const stored = await prisma().webhookHeader.findMany({
      where: { webhookId: created.id as string, secret: true },
      omit: { valueCiphertext: false },
    });
    expect(stored[0]?.valueCiphertext).toMatch(/^v1\./);

    const viaHub = await updated.related.hub();
    expect(viaHub.id).toBe(hubId);

    await updated.related.delete();
    await expect(hub.related.webhooks.get(created.id as string)).rejects.toThrow();
  });
});

describe('the wire format', () => {
  it('a webhook has exactly the documented fields and links', async () => {
    const { status, body } = await call(`/v2/content/hubs/${hubId}/webhooks`, {
      method: 'POST',
      body: JSON.stringify({
        label: 'Wire',
        events: ['dynamic-content.edition.scheduled'],
        handlers: ['https://example.com/h'],
      }),
    });
    expect(status).toBe(201);
    expect(Object.keys(body).sort()).toEqual(
      [
        '_links',
        'active',
        'createdDate',
        'customPayload',
        'events',
        'filters',
        'handlers',
        'headers',
        'id',
        'label',
        'lastModifiedDate',
        'method',
        'notifications',
        'secret',
      ].sort(),
    );
    expect(Object.keys(body._links).sort()).toEqual(['delete', 'event-types', 'hub', 'requests', 'self', 'update']);
    expect(body._links.requests).toEqual({
      href: `${api.url}/v2/content/hubs/${hubId}/webhooks/${body.id}/requests{?cursor,limit,excludeStatus}`,
      templated: true,
    });

    const page = await call(`/v2/content/hubs/${hubId}/webhooks?page=0&size=1&sort=createdDate,asc`);
    expect(page.status).toBe(200);
    expect(page.body._embedded.webhooks).toHaveLength(1);
    expect(page.body.page).toMatchObject({ size: 1, number: 0 });

    const types = await call(`/v2/content/hubs/${hubId}/webhooks/event-types`);
    expect(types.body._embedded['event-types'].map((type: { name: string }) => type.name)).toHaveLength(8);
  });

  it('pages are always present, even when empty', async () => {
    const { body } = await call(`/v2/content/hubs/${hubId}/webhooks?page=99&size=10`);
    expect(body._embedded.webhooks).toEqual([]);
    expect(body.page.number).toBe(99);
  });

  it('rejects bad input with errors naming the field, and stores nothing', async () => {
    const before = await prisma().webhook.count();
    const { status, body } = await call(`/v2/content/hubs/${hubId}/webhooks`, {
      method: 'POST',
      body: JSON.stringify({
        label: '',
        events: ['dynamic-content.nope'],
        handlers: ['ftp://example.com'],
        method: 'GET',
        filters: [{ type: 'like', arguments: [{ jsonPath: '$.a' }, { value: 'x' }] }],
        headers: [{ key: 'User-Agent', value: 'me' }],
      }),
    });
    expect(status).toBe(400);
    const properties = body.errors.map((error: { property: string }) => error.property).sort();
    expect(properties).toEqual(['events.0', 'filters.0.type', 'handlers.0', 'headers.0.key', 'label', 'method']);
    const label = body.errors.find((error: { property: string }) => error.property === 'label');
    expect(label.message).toBe('label: label is required');
    expect(await prisma().webhook.count()).toBe(before);

    const notJson = await call(`/v2/content/hubs/${hubId}/webhooks`, { method: 'POST', body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.errors[0].message).toMatch(/^body is not valid JSON/);
  });

  it('validates each limit: label length, filter count, filter argument shape', async () => {
    const base = { events: ['dynamic-content.edition.scheduled'], handlers: ['https://example.com/h'] };
    const cases: [object, string][] = [
      [{ ...base, label: 'x'.repeat(129) }, 'label'],
      [{ ...base, label: 'x', events: [] }, 'events'],
      [
        {
          ...base,
          label: 'x',
          filters: Array.from({ length: 11 }, () => ({
            type: 'equal',
            arguments: [{ jsonPath: '$.a' }, { value: 'b' }],
          })),
        },
        'filters',
      ],
      [
        { ...base, label: 'x', filters: [{ type: 'in', arguments: [{ jsonPath: '$.a' }, { value: 'b' }] }] },
        'filters.0.arguments.1.value',
      ],
      [{ ...base, label: 'x', handlers: ['/relative'] }, 'handlers.0'],
      [{ ...base, label: 'x', headers: [{ key: 'Bad Header', value: 'v' }] }, 'headers.0.key'],
    ];
    for (const [input, property] of cases) {
      const { status, body } = await call(`/v2/content/hubs/${hubId}/webhooks`, {
        method: 'POST',
        body: JSON.stringify(input),
      });
      expect(status, property).toBe(400);
      expect(body.errors.map((error: { property: string }) => error.property)).toContain(property);
    }
  });

  it('validates templates on save: syntax with line and column, partials, the 5 KB limit', async () => {
    const base = { label: 'T', events: ['dynamic-content.edition.scheduled'], handlers: ['https://example.com/h'] };
    const post = (input: object) =>
      call(`/v2/content/hubs/${hubId}/webhooks`, { method: 'POST', body: JSON.stringify({ ...base, ...input }) });
    const payload = (value: string) => ({ customPayload: { type: 'text/x-handlebars-template', value } });

    const unclosed = await post(payload('{\n  "a": "{{#if payload.id}}x"\n}'));
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.errors[0].property).toBe('customPayload.value');
    expect(unclosed.body.errors[0].message).toMatch(/^customPayload\.value: Line 3, column 2: /);

    const partial = await post(payload('{{> other}}'));
    expect(partial.body.errors[0].message).toContain('partials');

    const large = await post(payload('x'.repeat(6 * 1024)));
    expect(large.body.errors[0].message).toContain('the limit is 5 KB');

    const badUrl = await post({ handlers: ['https://example.com/{{#each}}'] });
    expect(badUrl.body.errors[0].property).toBe('handlers.0');

    const good = await post({
      ...payload('{"id": "{{payload.id}}"}'),
      handlers: ['https://example.com/{{encodeURI payload.id}}'],
    });
    expect(good.status).toBe(201);
  });

  it('answers 404 for unknown hubs and webhooks and 405 for unknown methods', async () => {
    expect((await call('/v2/content/hubs/000000000000000000000000')).status).toBe(404);
    expect((await call(`/v2/content/hubs/${hubId}/webhooks/000000000000000000000000`)).status).toBe(404);
    expect((await call(`/v2/content/hubs/${hubId}/webhooks`, { method: 'DELETE' })).status).toBe(405);
  });
});
