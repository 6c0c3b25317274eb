import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sendTestEventAction } from '../../lib/actions/webhook-actions';
import { createApiClient } from '../../lib/auth/api-clients';
import { stampClientAddress } from '../../lib/auth/client-address';
import { prisma } from '../../lib/db/client';
import { handleApiNodeRequest } from '../../lib/server/api-server';
import { actAs, cookieStore, headerList, userWithRole } from '../support/action-request';
import { defaultHubId, startApiServer } from '../support/herald';

vi.mock('next/headers', () => ({ cookies: async () => cookieStore(), headers: async () => headerList() }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

let api: { url: string; close(): Promise<void> };
let hubId: string;

async function token(name: string, scopes?: string[]): Promise<string> {
  const client = await createApiClient(name, scopes ? { scopes } : {});
  const response = await fetch(`${api.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

async function call(bearer: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${api.url}/v2/content/hubs/${hubId}${path}`, {
    method,
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

type Entry = { action: string; actor: { type: string; label: string }; target: { id: string; label?: string } };
const entriesOf = (body: Record<string, unknown>) => (body._embedded as { 'audit-log': Entry[] })['audit-log'];

beforeAll(async () => {
  hubId = await defaultHubId();
  api = await startApiServer();
});

afterAll(async () => {
  await api.close();
});

describe('GET /v2/content/hubs/{hubId}/audit-log', () => {
  it('lists the API client as the actor of its changes, newest first, cursor-paged, filterable', async () => {
    const cms = await token('CMS integration');
    const created = await call(cms, 'POST', '/webhooks', {
      label: 'Audited',
      events: ['dynamic-content.content-item.updated'],
      handlers: ['https://example.com/hook'],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await call(cms, 'PATCH', `/webhooks/${id}`, { label: 'Audited again' })).status).toBe(200);
    expect((await call(cms, 'PATCH', `/webhooks/${id}`, { active: false })).status).toBe(200);

    const first = await call(cms, 'GET', `/audit-log?webhook=${id}&limit=2`);
    expect(first.status).toBe(200);
    expect(entriesOf(first.body).map((entry) => entry.action)).toEqual(['webhook.disabled', 'webhook.updated']);
    expect(entriesOf(first.body)[0]).toMatchObject({
      actor: { type: 'api-client', label: 'CMS integration' },
      target: { id, label: 'Audited again' },
      changes: { active: { from: true, to: false } },
    });
    const next = (first.body._links as { next?: { href: string } }).next?.href ?? '';
    expect(next).toContain(`webhook=${id}`);
    const second = await fetch(next, { headers: { Authorization: `Bearer ${cms}` } });
    const secondBody = (await second.json()) as Record<string, unknown>;
    expect(entriesOf(secondBody).map((entry) => entry.action)).toEqual(['webhook.created']);
    expect((secondBody._links as { next?: unknown }).next).toBeUndefined();
    expect(secondBody.cursor).toEqual({ next: null });

    expect((await call(cms, 'DELETE', `/webhooks/${id}`)).status).toBe(204);
    const deleted = await call(cms, 'GET', `/audit-log?action=webhook.deleted&webhook=${id}`);
    expect(entriesOf(deleted.body)).toHaveLength(1);
  });

  it('records the address the web server saw, not one the client claims', async () => {
    // Served the way scripts/web-server.ts serves the API: the socket's address stamped first.
    const server = http.createServer((request, response) => {
      stampClientAddress(request, false);
      void handleApiNodeRequest(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const bearer = await token('Spoofer');
      const response = await fetch(`${base}/v2/content/hubs/${hubId}/webhooks`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${bearer}`,
          'Content-Type': 'application/json',
          'X-Herald-Client-Address': '192.0.2.66',
          'X-Forwarded-For': '192.0.2.67',
        },
        body: JSON.stringify({
          label: 'Spoofed',
          events: ['dynamic-content.content-item.updated'],
          handlers: ['https://example.com/hook'],
        }),
      });
      expect(response.status).toBe(201);
      const { id } = (await response.json()) as { id: string };
      expect(await prisma().auditEntry.findFirstOrThrow({ where: { targetId: id } })).toMatchObject({
        actorLabel: 'Spoofer',
        sourceIp: '127.0.0.1',
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('needs webhooks:read and refuses a bad cursor', async () => {
    const ingest = await token('Ingestion only', ['events:write']);
    const refused = await call(ingest, 'GET', '/audit-log');
    expect(refused.status).toBe(403);
    const reader = await token('Reader', ['webhooks:read']);
    expect((await call(reader, 'GET', '/audit-log?cursor=nope')).status).toBe(400);
    expect((await call(reader, 'GET', '/audit-log')).body._embedded).toBeDefined();
  });

  it('shows a test event sent from the admin UI with the user who sent it', async () => {
    const editor = await userWithRole('Editor', 'tester@example.com');
    const cms = await token('CMS for tests');
    const created = await call(cms, 'POST', '/webhooks', {
      label: 'Tested',
      events: ['dynamic-content.content-item.updated'],
      handlers: ['https://example.com/hook'],
    });
    const id = created.body.id as string;
    actAs(editor);
    const sent = await sendTestEventAction({
      hubId,
      webhookId: id,
      name: 'dynamic-content.content-item.updated',
      payload: { id: 'abc' },
    });
    expect(sent).toMatchObject({ ok: true });
    const listed = await call(cms, 'GET', `/audit-log?action=webhook.test-sent&webhook=${id}`);
    expect(entriesOf(listed.body)).toEqual([
      expect.objectContaining({
        actor: { type: 'user', id: editor.id, label: 'tester@example.com' },
        sourceIp: '203.0.113.7',
      }),
    ]);
    expect(await prisma().auditEntry.count({ where: { targetId: id, action: 'webhook.test-sent' } })).toBe(1);
  });
});
