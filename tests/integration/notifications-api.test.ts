import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { apiToken } from '../support/api-token';
import { defaultHubId, startApiServer } from '../support/herald';

let api: { url: string; close(): Promise<void> };
let token: string;
let hubId: string;

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${api.url}/v2/content/hubs/${hubId}/webhooks${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const webhook = (notifications: unknown) => ({
  label: 'Notified',
  events: ['dynamic-content.content-item.updated'],
  handlers: ['https://example.com/hook'],
  notifications,
});

beforeAll(async () => {
  hubId = await defaultHubId();
  api = await startApiServer();
  token = await apiToken(api.url, 'notifications test');
});

afterAll(async () => {
  await api.close();
});

describe('a webhook’s notifications over the API', () => {
  it('are created, read and changed', async () => {
    const created = await call('POST', '', webhook([{ email: 'ops@example.com' }]));
    expect(created.status).toBe(201);
    expect(created.body.notifications).toEqual([{ email: 'ops@example.com', confirmed: false }]);
    const id = created.body.id as string;
    expect((await call('GET', `/${id}`)).body.notifications).toEqual([{ email: 'ops@example.com', confirmed: false }]);
    const changed = await call('PATCH', `/${id}`, { notifications: [{ email: 'oncall@example.com' }] });
    expect(changed.body.notifications).toEqual([{ email: 'oncall@example.com', confirmed: false }]);
    // A PATCH without the field keeps it.
    expect((await call('PATCH', `/${id}`, { label: 'Renamed' })).body.notifications).toEqual([
      { email: 'oncall@example.com', confirmed: false },
    ]);
    expect((await call('PATCH', `/${id}`, { notifications: [] })).body.notifications).toEqual([]);
  });

  it('say whether each address is confirmed, read-only: a client cannot confirm one by saying so', async () => {
    const created = await call('POST', '', webhook([{ email: 'claimed@example.com', confirmed: true }]));
    expect(created.status).toBe(201);
    expect(created.body.notifications).toEqual([{ email: 'claimed@example.com', confirmed: false }]);
    const id = created.body.id as string;
    const patched = await call('PATCH', `/${id}`, {
      notifications: [{ email: 'claimed@example.com', confirmed: true }],
    });
    expect(patched.body.notifications).toEqual([{ email: 'claimed@example.com', confirmed: false }]);
    // One confirmation email is queued for the address, however it was named.
    expect(
      await prisma().notificationEmail.count({ where: { recipient: 'claimed@example.com', kind: 'CONFIRMATION' } }),
    ).toBe(1);
    // A Herald user's address is confirmed as it stands, in any case; no link is queued for it.
    await prisma().user.create({ data: { email: 'colleague@example.com', role: 'Editor', passwordHash: 'x' } });
    const user = await call('PATCH', `/${id}`, { notifications: [{ email: 'Colleague@Example.com' }] });
    expect(user.body.notifications).toEqual([{ email: 'Colleague@Example.com', confirmed: true }]);
    expect(await prisma().notificationEmail.count({ where: { recipient: 'colleague@example.com' } })).toBe(0);
  });

  it('refuse a second address with the Management API’s message', async () => {
    const answer = await call('POST', '', webhook([{ email: 'a@example.com' }, { email: 'b@example.com' }]));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      {
        level: 'ERROR',
        code: 'VALIDATION_ERROR',
        property: 'notifications',
        message: 'notifications: Cannot exceed the maximum of 1 notification',
      },
    ]);
  });

  it('refuse what is not an email address, on create and on PATCH', async () => {
    const answer = await call('POST', '', webhook([{ email: 'not-an-address' }]));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ property: 'notifications.0.email' })]);
    const created = await call('POST', '', webhook([]));
    const patched = await call('PATCH', `/${created.body.id as string}`, { notifications: [{ email: 'x@' }] });
    expect(patched.status).toBe(400);
  });
});
