import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { callApi } from '../support/api-call';
import { apiToken } from '../support/api-token';
import { defaultHubId, startApiServer } from '../support/herald';

/** POST …/events over the Management API (the webhook API and the SDK are in api-sdk.test.ts). */
let api: { url: string; close(): Promise<void> };
let hubId: string;
let token: string;

const call = (path: string, init?: RequestInit) => callApi(api.url, token, path, init);

beforeAll(async () => {
  hubId = await defaultHubId();
  api = await startApiServer();
  token = await apiToken(api.url, 'event ingestion test');
});

afterAll(async () => {
  await api.close();
});

describe('event ingestion', () => {
  it('accepts a known event with 202 and its id and sequenceId', async () => {
    const first = await call(`/v2/content/hubs/${hubId}/events`, {
      method: 'POST',
      body: JSON.stringify({ name: 'dynamic-content.edition.scheduled', payload: { id: 'e' }, requestId: 'req-1' }),
    });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ id: expect.any(String), sequenceId: expect.any(Number) });
    const stored = await prisma().event.findUnique({ where: { id: first.body.id } });
    expect(stored?.requestId).toBe('req-1');
  });

  it('rejects unknown events and malformed bodies, storing nothing', async () => {
    const before = await prisma().event.count();
    const unknown = await call(`/v2/content/hubs/${hubId}/events`, {
      method: 'POST',
      body: JSON.stringify({ name: 'dynamic-content.nope', payload: {} }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].property).toBe('name');
    expect(unknown.body.errors[0].message).toContain('unknown event "dynamic-content.nope"');
    const noPayload = await call(`/v2/content/hubs/${hubId}/events`, {
      method: 'POST',
      body: JSON.stringify({ name: 'dynamic-content.edition.scheduled', payload: [1] }),
    });
    expect(noPayload.status).toBe(400);
    expect(noPayload.body.errors[0].property).toBe('payload');
    const garbage = await call(`/v2/content/hubs/${hubId}/events`, { method: 'POST', body: 'nope' });
    expect(garbage.status).toBe(400);
    expect(await prisma().event.count()).toBe(before);
  });
});
