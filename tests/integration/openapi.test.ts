import { validate } from '@readme/openapi-parser';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiPath } from '../../lib/api/openapi';
import { ROUTES } from '../../lib/api/routes';
import { createApiClient } from '../../lib/auth/api-clients';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { defaultHubId, startApiServer, startWorker, waitForDelivery } from '../support/herald';
import { AnswerChecker, type OpenApiLike } from '../support/openapi-answers';
import { Receiver } from '../support/receiver';

/**
 * GET /v2/openapi.json: a valid OpenAPI 3.1 document (checked by a third-party parser) that holds
 * exactly the routes the server answers, and real answers of every kind validate against it.
 */

let api: { url: string; close(): Promise<void> };
let worker: DeliveryWorker;
let receiver: Receiver;
let document: OpenApiLike & { openapi: string };
let checker: AnswerChecker;
let hubId: string;
let client: { id: string; secret: string };
let token: string;

// A connection per request: on a loaded machine a kept-alive one can be reused just as the server
// closes it (after a pause such as the parser's), which fails the request with ECONNRESET.
const noKeepAlive = new Agent({ pipelining: 0 });

const EVENT = 'dynamic-content.content-item.updated';
const METHODS = ['get', 'post', 'patch', 'delete'];

interface Answer {
  status: number;
  body: string;
  json: Record<string, unknown> & { _embedded?: Record<string, Record<string, unknown>[]> };
}

/** Calls the API, checks the answer against the document under the documented path, and returns it. */
async function call(
  method: string,
  documentedPath: string,
  path: string,
  init: { body?: unknown; form?: URLSearchParams; bearer?: string | null } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const bearer = init.bearer === undefined ? token : init.bearer;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${api.url}${path}`, {
    dispatcher: noKeepAlive,
    method,
    headers,
    body: init.form ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
  const body = await response.text();
  const answer = { status: response.status, contentType: response.headers.get('content-type'), body };
  expect(
    checker.problems(method, documentedPath, answer),
    `${method} ${path} → ${response.status} ${body.slice(0, 300)}`,
  ).toEqual([]);
  return { status: response.status, body, json: body ? JSON.parse(body) : {} };
}

beforeAll(async () => {
  hubId = await defaultHubId();
  api = await startApiServer();
  receiver = new Receiver();
  await receiver.start();
  worker = await startWorker();
  client = await createApiClient('openapi test');
  const response = await fetch(`${api.url}/v2/openapi.json`, { dispatcher: noKeepAlive });
  expect(response.status).toBe(200);
  document = (await response.json()) as typeof document;
  checker = new AnswerChecker(document);
  const tokenAnswer = await call('POST', '/oauth/token', '/oauth/token', {
    bearer: null,
    form: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }),
  });
  token = String(tokenAnswer.json.access_token);
});

afterAll(async () => {
  await worker?.stop();
  await receiver?.close();
  await api?.close();
  await noKeepAlive.close();
});

describe('GET /v2/openapi.json', () => {
  it('is served without a token and is a valid OpenAPI 3.1 document to a third-party parser', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(document) as never);
    expect(result).toMatchObject({ valid: true, specification: 'OpenAPI' });
    // The document is itself documented, and answers as documented.
    await call('GET', '/v2/openapi.json', '/v2/openapi.json', { bearer: null });
  });

  it('documents every route of the route table, and nothing else', () => {
    const served = ROUTES.map((route) => `${route.method} ${openApiPath(route.pattern)}`).sort();
    const documented = Object.entries(document.paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(served);
    for (const needed of [
      'POST /oauth/token',
      'GET /content/id/{id}',
      'POST /v2/content/hubs/{hubId}/events',
      'POST /v2/content/hubs/{hubId}/events:batch',
      'POST /v2/content/hubs/{hubId}/webhooks/{id}/recover',
      'POST /v2/content/hubs/{hubId}/webhooks/{id}/requests/{requestId}/redeliver',
      'GET /v2/content/hubs/{hubId}/audit-log',
    ]) {
      expect(documented).toContain(needed);
    }
    // A route that reads a body documents it, and one that documents a body reads it.
    for (const route of ROUTES) {
      if (route.access === 'bearer')
        expect(route.doc.body !== undefined, route.pattern).toBe(route.bodyLimitBytes !== null);
    }
  });

  it('each documented operation is one the server routes (no 404 or 405 for it), and a bearer route refuses no token with 401', async () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!METHODS.includes(method)) continue;
        const concrete = path.replaceAll(/\{[A-Za-z]+\}/g, 'x1');
        const response = await fetch(`${api.url}${concrete}`, {
          dispatcher: noKeepAlive,
          method: method.toUpperCase(),
        });
        const body = await response.text();
        expect([404, 405], `${method} ${path}: ${body}`).not.toContain(response.status);
        const secured = ((operation as { security?: unknown[] }).security ?? []).length > 0;
        if (secured) expect(response.status, `${method} ${path}`).toBe(401);
      }
    }
  });
});

describe('real answers validate against their documented schemas', () => {
  const WEBHOOKS = '/v2/content/hubs/{hubId}/webhooks';
  const WEBHOOK = `${WEBHOOKS}/{id}`;
  const REQUESTS = `${WEBHOOK}/requests`;

  it('hubs, webhooks, events, batches, deliveries, redeliver, recover, audit log, content, health', async () => {
    await call('GET', '/healthz', '/healthz', { bearer: null });
    const hubs = await call('GET', '/v2/content/hubs', '/v2/content/hubs');
    expect(hubs.json._embedded?.hubs?.length).toBeGreaterThan(0);
    await call('GET', '/v2/content/hubs/{hubId}', `/v2/content/hubs/${hubId}`);

    const base = `/v2/content/hubs/${hubId}/webhooks`;
    const created = await call('POST', WEBHOOKS, base, {
      body: {
        label: 'Documented',
        events: [EVENT],
        handlers: [receiver.url],
        headers: [{ key: 'X-Token', value: 'secret value', secret: true }],
        filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.id' }, { value: 'item-1' }] }],
        rateLimit: 50,
      },
    });
    expect(created.status).toBe(201);
    const webhookId = String(created.json.id);
    const webhook = `${base}/${webhookId}`;
    await call('GET', WEBHOOKS, `${base}?size=5&sort=label,asc`);
    await call('GET', `${WEBHOOKS}/event-types`, `${base}/event-types`);
    const read = await call('GET', WEBHOOK, webhook);
    // The check is strict: a field the document does not name, or one missing, is a problem.
    const { id: _id, ...withoutId } = read.json;
    for (const body of [{ ...read.json, extra: true }, withoutId]) {
      const answer = { status: 200, contentType: 'application/hal+json', body: JSON.stringify(body) };
      expect(checker.problems('GET', WEBHOOK, answer)).not.toEqual([]);
    }
    await call('PATCH', WEBHOOK, webhook, {
      body: {
        label: 'Documented, renamed',
        customPayload: { type: 'text/x-handlebars-template', value: '{"id":"{{payload.id}}"}' },
      },
    });
    // The optional parts of a webhook: latest-mode delivery, a changed filter (then back as they were).
    const latest = await call('PATCH', WEBHOOK, webhook, {
      body: {
        delivery: { mode: 'latest', debounceSeconds: 5, key: '$.payload.id' },
        filters: [{ type: 'changed', arguments: [{ jsonPath: '$.payload.body.title' }] }],
      },
    });
    expect(latest.json.delivery).toEqual({ mode: 'latest', debounceSeconds: 5, key: '$.payload.id' });
    await call('GET', WEBHOOK, webhook);
    await call('PATCH', WEBHOOK, webhook, {
      body: {
        delivery: { mode: 'every' },
        filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.id' }, { value: 'item-1' }] }],
      },
    });

    const payload = {
      id: 'item-1',
      version: 1,
      body: { _meta: { schema: 'https://example.com/banner.json' }, title: 'Hi' },
    };
    const emitted = await call('POST', '/v2/content/hubs/{hubId}/events', `/v2/content/hubs/${hubId}/events`, {
      body: { name: EVENT, payload },
    });
    expect(emitted.status).toBe(202);
    const batch = await call(
      'POST',
      '/v2/content/hubs/{hubId}/events:batch',
      `/v2/content/hubs/${hubId}/events:batch`,
      {
        body: {
          events: [
            { name: EVENT, payload: { id: 'item-2' } },
            { name: EVENT, payload },
          ],
        },
      },
    );
    expect(batch.status).toBe(202);

    const deliveryId = String((emitted.json.deliveries as { id: string }[])[0]?.id);
    await waitForDelivery(deliveryId, ['DELIVERED']);
    const requests = await call('GET', REQUESTS, `${webhook}/requests?limit=2`);
    expect(requests.json._embedded?.requests?.length).toBe(2);
    await call('GET', REQUESTS, `${webhook}/requests?status=FILTERED`);
    await call('GET', `${REQUESTS}/{requestId}`, `${webhook}/requests/${deliveryId}`);
    const redelivered = await call(
      'POST',
      `${REQUESTS}/{requestId}/redeliver`,
      `${webhook}/requests/${deliveryId}/redeliver`,
    );
    expect(redelivered.status).toBe(202);
    const recovered = await call('POST', `${WEBHOOK}/recover`, `${webhook}/recover`, {
      body: { since: new Date(Date.now() - 3_600_000).toISOString() },
    });
    expect(recovered.status).toBe(202);

    const audit = await call(
      'GET',
      '/v2/content/hubs/{hubId}/audit-log',
      `/v2/content/hubs/${hubId}/audit-log?limit=3`,
    );
    expect(audit.json._embedded?.['audit-log']?.length).toBe(3);
    const content = await call('GET', '/content/id/{id}', `/content/id/item-1?hubId=${hubId}&depth=all&format=inlined`);
    expect(content.status).toBe(200);

    expect((await call('DELETE', WEBHOOK, webhook)).status).toBe(204);
  });

  it('errors: validation, no token, missing scope, not found, conflict, and the token endpoint’s own', async () => {
    const base = `/v2/content/hubs/${hubId}/webhooks`;
    const invalid = await call('POST', '/v2/content/hubs/{hubId}/webhooks', base, { body: { label: '', events: [] } });
    expect(invalid.status).toBe(400);
    expect((await call('GET', '/v2/content/hubs/{hubId}/webhooks', base, { bearer: null })).status).toBe(401);
    expect((await call('GET', '/v2/content/hubs/{hubId}/webhooks/{id}', `${base}/nope`)).status).toBe(404);
    const off = await call('POST', '/v2/content/hubs/{hubId}/webhooks', base, {
      body: { label: 'Off', events: [EVENT], handlers: [receiver.url], active: false },
    });
    const conflict = await call(
      'POST',
      '/v2/content/hubs/{hubId}/webhooks/{id}/recover',
      `${base}/${off.json.id}/recover`,
      {
        body: { since: new Date().toISOString() },
      },
    );
    expect(conflict.status).toBe(409);
    const ingestOnly = await createApiClient('openapi ingest only', { scopes: ['events:write'] });
    const narrow = await call('POST', '/oauth/token', '/oauth/token', {
      bearer: null,
      form: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: ingestOnly.id,
        client_secret: ingestOnly.secret,
      }),
    });
    const forbidden = await call('GET', '/v2/content/hubs/{hubId}/webhooks', base, {
      bearer: String(narrow.json.access_token),
    });
    expect(forbidden.status).toBe(403);
    const wrongSecret = await call('POST', '/oauth/token', '/oauth/token', {
      bearer: null,
      form: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: 'wrong' }),
    });
    expect(wrongSecret.status).toBe(401);
    const badGrant = await call('POST', '/v2/content/oauth/token', '/v2/content/oauth/token', {
      bearer: null,
      form: new URLSearchParams({ grant_type: 'password' }),
    });
    expect(badGrant.status).toBe(400);
    const unknownEvent = await call('POST', '/v2/content/hubs/{hubId}/events', `/v2/content/hubs/${hubId}/events`, {
      body: { name: 'no.such.event', payload: {} },
    });
    expect(unknownEvent.status).toBe(400);
  });
});
