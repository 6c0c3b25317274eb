import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { MAX_PAYLOAD_DEPTH } from '../../lib/events/payload-shape';
import { apiToken, defaultHubId, startApiServer } from '../support/herald';

let api: { url: string; close(): Promise<void> };
let token: string;
let hubId: string;

beforeAll(async () => {
  hubId = await defaultHubId();
  api = await startApiServer();
  token = await apiToken(api.url, 'ingest limits');
});

afterAll(async () => {
  await api.close();
});

function emit(body: string) {
  return fetch(`${api.url}/v2/content/hubs/${hubId}/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body,
  });
}

describe('what ingestion accepts', () => {
  it(`refuses a payload nested more than ${MAX_PAYLOAD_DEPTH} levels with a 400 naming the limit, storing nothing`, async () => {
    const before = await prisma().event.count();
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const response = await emit(`{"name":"dynamic-content.content-item.updated","payload":${deep}}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { property: string; message: string }[] };
    expect(body.errors[0]?.property).toBe('payload');
    expect(body.errors[0]?.message).toContain(`nested more than ${MAX_PAYLOAD_DEPTH} levels deep`);
    expect(await prisma().event.count()).toBe(before);
  });

  it('accepts a payload at the limit', async () => {
    const atLimit = `${'{"a":'.repeat(MAX_PAYLOAD_DEPTH - 1)}1${'}'.repeat(MAX_PAYLOAD_DEPTH - 1)}`;
    const response = await emit(`{"name":"dynamic-content.content-item.updated","payload":${atLimit}}`);
    expect(response.status).toBe(202);
  });
});
