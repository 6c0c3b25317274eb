import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreateApiClientOptions, createApiClient } from '../../lib/auth/api-clients';
import { SCOPES } from '../../lib/auth/scopes';
import { ValidationError } from '../../lib/errors';
import { createHub } from '../../lib/hubs/hubs';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { defaultHubId, startApiServer } from '../support/herald';

/**
 * Least-privilege API clients: each route needs one scope, a token holds the scopes its client
 * was created with (or the subset it asked for), and a client limited to some hubs sees no other.
 */

let api: { url: string; close(): Promise<void> };
let hubId: string;
let otherHubId: string;
let webhookId: string;

const WEBHOOK_BODY = {
  label: 'Scoped',
  events: ['dynamic-content.content-item.updated'],
  handlers: ['https://example.com/hook'],
};
const EVENT_BODY = { name: 'dynamic-content.content-item.updated', payload: { id: 'item-1' } };

interface TokenAnswer {
  status: number;
  body: { access_token?: string; scope?: string; error?: string; error_description?: string };
}

async function requestToken(client: { id: string; secret: string }, scope?: string): Promise<TokenAnswer> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: client.id,
    client_secret: client.secret,
  });
  if (scope !== undefined) form.set('scope', scope);
  const response = await fetch(`${api.url}/oauth/token`, { method: 'POST', body: form });
  return { status: response.status, body: (await response.json()) as TokenAnswer['body'] };
}

async function tokenFor(name: string, options: CreateApiClientOptions, scope?: string): Promise<string> {
  const answer = await requestToken(await createApiClient(name, options), scope);
  expect(answer.status).toBe(200);
  return answer.body.access_token ?? '';
}

async function call(token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const insufficient = (scope: string) => ({
  errors: [{ level: 'ERROR', code: 'INSUFFICIENT_SCOPE', message: `this token lacks the scope ${scope}` }],
});

beforeAll(async () => {
  hubId = await defaultHubId();
  otherHubId = (await createHub('scopes-other', 'Other hub')).id;
  webhookId = (await createWebhook(hubId, WEBHOOK_BODY)).id;
  api = await startApiServer();
});

afterAll(async () => {
  await api.close();
});

describe('an events:write client', () => {
  let token: string;
  beforeAll(async () => {
    token = await tokenFor('CMS ingestion', { scopes: ['events:write'] });
  });

  it('emits events', async () => {
    const emitted = await call(token, 'POST', `/v2/content/hubs/${hubId}/events`, EVENT_BODY);
    expect(emitted.status).toBe(202);
    expect(emitted.body.sequenceId).toEqual(expect.any(Number));
  });

  it('gets 403 naming the scope when it creates, reads or deletes a webhook, and nothing changes', async () => {
    const created = await call(token, 'POST', `/v2/content/hubs/${hubId}/webhooks`, WEBHOOK_BODY);
    expect(created).toEqual({ status: 403, body: insufficient('webhooks:write') });
    expect(await call(token, 'GET', `/v2/content/hubs/${hubId}/webhooks`)).toEqual({
      status: 403,
      body: insufficient('webhooks:read'),
    });
    expect((await call(token, 'DELETE', `/v2/content/hubs/${hubId}/webhooks/${webhookId}`)).status).toBe(403);
    expect((await call(token, 'GET', `/content/id/item-1?hubId=${hubId}`)).body).toEqual(insufficient('content:read'));
    const all = await tokenFor('reader', {});
    const list = await call(all, 'GET', `/v2/content/hubs/${hubId}/webhooks`);
    expect(list.body._embedded.webhooks.map((webhook: { id: string }) => webhook.id)).toEqual([webhookId]);
  });

  it('still lists the hubs, which every client needs to find its hub', async () => {
    const hubs = await call(token, 'GET', '/v2/content/hubs');
    expect(hubs.status).toBe(200);
    expect(hubs.body._embedded.hubs.map((hub: { id: string }) => hub.id)).toEqual([hubId, otherHubId]);
  });
});

describe('a webhooks:read client', () => {
  it('lists and reads webhooks but may not create, change or emit', async () => {
    const token = await tokenFor('dashboard', { scopes: ['webhooks:read'] });
    expect((await call(token, 'GET', `/v2/content/hubs/${hubId}/webhooks`)).status).toBe(200);
    expect((await call(token, 'GET', `/v2/content/hubs/${hubId}/webhooks/${webhookId}`)).status).toBe(200);
    expect((await call(token, 'GET', `/v2/content/hubs/${hubId}/webhooks/${webhookId}/requests`)).status).toBe(200);
    expect(await call(token, 'POST', `/v2/content/hubs/${hubId}/webhooks`, WEBHOOK_BODY)).toEqual({
      status: 403,
      body: insufficient('webhooks:write'),
    });
    expect(await call(token, 'PATCH', `/v2/content/hubs/${hubId}/webhooks/${webhookId}`, { label: 'x' })).toEqual({
      status: 403,
      body: insufficient('webhooks:write'),
    });
    expect(await call(token, 'POST', `/v2/content/hubs/${hubId}/events`, EVENT_BODY)).toEqual({
      status: 403,
      body: insufficient('events:write'),
    });
  });
});

describe('a webhook’s signing secret', () => {
  const secretHeader = { key: 'X-Api-Key', value: 'receiver-key', secret: true };

  it('never reaches a token without webhooks:write: list and read carry no secret and no secret header value', async () => {
    const created = await createWebhook(hubId, { ...WEBHOOK_BODY, label: 'Signed', headers: [secretHeader] });
    const token = await tokenFor('read-only dashboard', { scopes: ['webhooks:read'] });
    const one = await call(token, 'GET', `/v2/content/hubs/${hubId}/webhooks/${created.id}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('secret');
    expect(one.body.headers).toEqual([{ key: 'X-Api-Key', value: null, secret: true }]);
    const list = await call(token, 'GET', `/v2/content/hubs/${hubId}/webhooks?size=100`);
    expect(list.body._embedded.webhooks.length).toBeGreaterThan(0);
    for (const webhook of list.body._embedded.webhooks) expect(webhook).not.toHaveProperty('secret');
    // Nothing in either answer holds the secret's text, under any field.
    const secret = created.secret ?? '';
    expect(secret).toHaveLength(128);
    expect(JSON.stringify(one.body)).not.toContain(secret);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(JSON.stringify(one.body)).not.toContain('receiver-key');
  });

  it('reaches a webhooks:write token on create, read, list and PATCH', async () => {
    const token = await tokenFor('provisioning', { scopes: ['webhooks:read', 'webhooks:write'] });
    const created = await call(token, 'POST', `/v2/content/hubs/${hubId}/webhooks`, WEBHOOK_BODY);
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    expect(secret).toHaveLength(128);
    const path = `/v2/content/hubs/${hubId}/webhooks/${created.body.id}`;
    expect((await call(token, 'GET', path)).body.secret).toBe(secret);
    const list = await call(token, 'GET', `/v2/content/hubs/${hubId}/webhooks?size=100`);
    expect(list.body._embedded.webhooks.find((webhook: { id: string }) => webhook.id === created.body.id).secret).toBe(
      secret,
    );
    expect((await call(token, 'PATCH', path, { label: 'Renamed' })).body.secret).toBe(secret);
  });
});

describe('the token endpoint', () => {
  it('answers with the granted scopes, space-separated', async () => {
    const all = await requestToken(await createApiClient('default scopes'));
    expect(all.body.scope).toBe(SCOPES.join(' '));
    const some = await requestToken(
      await createApiClient('two scopes', { scopes: ['webhooks:write', 'events:write'] }),
    );
    expect(some.body.scope).toBe('events:write webhooks:write');
  });

  it('grants a requested subset, and the token holds only that subset', async () => {
    const client = await createApiClient('narrowed');
    const answer = await requestToken(client, 'webhooks:read');
    expect(answer).toMatchObject({ status: 200, body: { scope: 'webhooks:read' } });
    const token = answer.body.access_token ?? '';
    expect((await call(token, 'GET', `/v2/content/hubs/${hubId}/webhooks`)).status).toBe(200);
    expect((await call(token, 'POST', `/v2/content/hubs/${hubId}/events`, EVENT_BODY)).status).toBe(403);
  });

  it('refuses scopes the client does not hold, and unknown ones, with invalid_scope', async () => {
    const client = await createApiClient('ingest only', { scopes: ['events:write'] });
    const beyond = await requestToken(client, 'events:write webhooks:write');
    expect(beyond).toEqual({
      status: 400,
      body: { error: 'invalid_scope', error_description: 'this client may not have the scope webhooks:write' },
    });
    const unknown = await requestToken(client, 'admin');
    expect(unknown).toEqual({
      status: 400,
      body: { error: 'invalid_scope', error_description: 'unknown scope admin' },
    });
  });

  it('refuses a token whose claims were edited', async () => {
    const token = await tokenFor('tampered', { scopes: ['events:write'] });
    const [payload, mac] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
    const forged = Buffer.from(JSON.stringify({ ...claims, scope: [...SCOPES] })).toString('base64url');
    expect((await call(`${forged}.${mac}`, 'POST', `/v2/content/hubs/${hubId}/webhooks`, WEBHOOK_BODY)).status).toBe(
      401,
    );
  });
});

describe('a client limited to some hubs', () => {
  let token: string;
  beforeAll(async () => {
    token = await tokenFor('one hub', { hubIds: [otherHubId] });
  });

  it('sees only its hubs', async () => {
    const hubs = await call(token, 'GET', '/v2/content/hubs');
    expect(hubs.body._embedded.hubs.map((hub: { id: string }) => hub.id)).toEqual([otherHubId]);
    expect((await call(token, 'GET', `/v2/content/hubs/${otherHubId}/webhooks`)).status).toBe(200);
  });

  it('gets 404 for any other hub, as if it did not exist', async () => {
    const notFound = { errors: [{ level: 'ERROR', code: 'NOT_FOUND', message: `Hub ${hubId} not found` }] };
    expect(await call(token, 'GET', `/v2/content/hubs/${hubId}`)).toEqual({ status: 404, body: notFound });
    expect(await call(token, 'GET', `/v2/content/hubs/${hubId}/webhooks/${webhookId}`)).toEqual({
      status: 404,
      body: notFound,
    });
    expect(await call(token, 'POST', `/v2/content/hubs/${hubId}/events`, EVENT_BODY)).toEqual({
      status: 404,
      body: notFound,
    });
    expect((await call(token, 'GET', `/content/id/item-1?hubId=${hubId}`)).status).toBe(404);
  });
});

describe('creating a client', () => {
  it('refuses unknown scopes and hubs, naming them', async () => {
    await expect(createApiClient('bad scope', { scopes: ['events:write', 'everything'] })).rejects.toThrow(
      /unknown scope "everything"/,
    );
    const error = await createApiClient('bad hub', { hubIds: ['000000000000000000000000'] }).catch((e: unknown) => e);
    if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${error}`);
    expect(error.fieldErrors).toEqual([{ field: 'hubIds', message: 'no hub 000000000000000000000000' }]);
  });

  it('stores the scopes in a fixed order, without repeats', async () => {
    const client = await createApiClient('ordered', { scopes: ['content:read', 'events:write', 'content:read'] });
    expect(client.scopes).toEqual(['events:write', 'content:read']);
    expect(client.hubIds).toBeNull();
  });
});
