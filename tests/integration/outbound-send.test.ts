import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryAgent, RESPONSE_BODY_LIMIT, send } from '../../lib/outbound/http-client';
import { Receiver } from '../support/receiver';

let receiver: Receiver;
let agent: Agent;

beforeAll(async () => {
  receiver = await new Receiver().start();
  // One connection: a second request has to wait for it.
  agent = createDeliveryAgent('loopback', 1);
});

afterAll(async () => {
  await agent.close();
  await receiver.close();
});

const post = (path: string, timeoutMs = 2000) =>
  send(agent, {
    method: 'POST',
    url: `${receiver.url}${path}`,
    headers: { 'content-type': 'application/json' },
    body: '{"a":1}',
    timeoutMs,
  });

describe('send', () => {
  it('returns the status, the headers flattened and the body', async () => {
    receiver.respondWith(() => ({ status: 201, headers: { 'x-answer': '42' }, body: 'made' }));
    const result = await post('/ok');
    expect(result).toMatchObject({ ok: true, status: 201, body: 'made', truncated: false });
    expect(result.ok && result.headers['x-answer']).toBe('42');
    expect(receiver.requests.at(-1)).toMatchObject({ method: 'POST', path: '/ok', body: '{"a":1}' });
  });

  it('keeps the first 64 KB of a larger response body and says it was cut', async () => {
    receiver.respondWith(() => ({ status: 200, body: 'x'.repeat(RESPONSE_BODY_LIMIT * 3) }));
    const result = await post('/large');
    expect(result.ok && result.truncated).toBe(true);
    expect(result.ok && result.body.length).toBe(RESPONSE_BODY_LIMIT);
    // The connection was dropped, not poisoned: the next request goes through.
    receiver.respondWith(() => ({ status: 204 }));
    expect(await post('/after')).toMatchObject({ ok: true, status: 204 });
  });

  it('times out a request that never got a connection, and never sends it afterwards', async () => {
    receiver.respondWith((request) => (request.path === '/hang' ? { hang: true } : { status: 200 }));
    const hanging = post('/hang', 1500);
    const queued = await post('/queued', 200);
    expect(queued).toMatchObject({ ok: false, error: 'timed out after 200 ms' });
    expect(await hanging).toMatchObject({ ok: false, error: 'timed out after 1500 ms' });
    // The one connection is free again and serves requests in order: had the timed-out request
    // still been waiting for it, it would arrive before this one.
    expect(await post('/after-timeouts')).toMatchObject({ ok: true, status: 200 });
    expect(receiver.requests.map((request) => request.path)).toContain('/after-timeouts');
    expect(receiver.requests.some((request) => request.path === '/queued')).toBe(false);
  });

  it('names a refused connection', async () => {
    const result = await send(agent, {
      method: 'POST',
      url: 'http://127.0.0.1:9/nothing-listens',
      headers: {},
      body: '',
      timeoutMs: 2000,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/ECONNREFUSED/);
  });
});
