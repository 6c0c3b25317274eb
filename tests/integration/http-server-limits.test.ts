import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '../../lib/config/env';
import { handleApiNodeRequest } from '../../lib/server/api-server';
import { createHttpServer, type HttpServerSettings, httpServerSettings } from '../../lib/server/http-server';
import { apiToken, defaultHubId, startApiServer } from '../support/herald';
import { openRawConnection, trickle } from '../support/raw-socket';
import { waitFor } from '../support/wait';

// Short limits, set the way an operator would (the env schema), so the cuts happen in seconds.
const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
// Generous: node looks for expired requests a few times per timeout, and the machine is shared.
const SLACK_MS = 3000;

const servers: http.Server[] = [];
let hubId: string;

async function serve(settings: HttpServerSettings): Promise<{ server: http.Server; url: string }> {
  const server = createHttpServer((request, response) => void handleApiNodeRequest(request, response), settings);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

beforeAll(async () => {
  process.env.HERALD_HTTP_HEADERS_TIMEOUT = `${HEADERS_TIMEOUT_MS}ms`;
  process.env.HERALD_HTTP_REQUEST_TIMEOUT = `${REQUEST_TIMEOUT_MS / 1000}s`;
  resetEnvCache();
  hubId = await defaultHubId();
});

afterAll(async () => {
  delete process.env.HERALD_HTTP_HEADERS_TIMEOUT;
  delete process.env.HERALD_HTTP_REQUEST_TIMEOUT;
  resetEnvCache();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('the web server’s socket limits', () => {
  it('takes its limits from the environment', () => {
    expect(httpServerSettings()).toMatchObject({
      headersTimeoutMs: HEADERS_TIMEOUT_MS,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: 5000,
      maxConnections: 1000,
    });
  });

  // Both API paths: ingestion reads the socket itself, the rest of the API through a web Request.
  for (const [what, path] of [
    ['an event', () => `/v2/content/hubs/${hubId}/events`],
    ['a webhook', () => `/v2/content/hubs/${hubId}/webhooks`],
  ] as const) {
    it(`cuts off a body that trickles in (POST ${what}) once the request timeout has passed`, async () => {
      const { url } = await serve(httpServerSettings());
      const token = await apiToken(url, `trickle ${what}`);
      const connection = openRawConnection(url);
      await connection.connected;
      const started = Date.now();
      connection.socket.write(
        `POST ${path()} HTTP/1.1\r\nHost: herald.test\r\nAuthorization: Bearer ${token}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
      );
      trickle(connection, `"name":"${'x'.repeat(990)}"}`, 200);

      const { received, at } = await connection.closed;
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
      expect(at - started).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
    });

    it(`answers a body that trickles in (POST ${what}) with 408 from the API's body reader alone`, async () => {
      // A server without the socket limits (as tests and embedders may mount the API): the body
      // reader's own deadline, HERALD_HTTP_REQUEST_TIMEOUT from when reading began, still holds.
      const api = await startApiServer();
      try {
        const token = await apiToken(api.url, `reader ${what}`);
        const connection = openRawConnection(api.url);
        await connection.connected;
        const started = Date.now();
        connection.socket.write(
          `POST ${path()} HTTP/1.1\r\nHost: herald.test\r\nAuthorization: Bearer ${token}\r\n` +
            'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
        );
        trickle(connection, `"name":"${'x'.repeat(990)}"}`, 200);

        const { received, at } = await connection.closed;
        expect(received).toMatch(/^HTTP\/1\.1 408 /);
        expect(received).toMatch(/[Cc]onnection: close/);
        expect(received).toContain('"code":"REQUEST_TIMEOUT"');
        expect(received).toContain('the request body did not arrive within 2 s');
        expect(at - started).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
      } finally {
        await api.close();
      }
    });
  }

  it('cuts off headers that never end once the headers timeout has passed', async () => {
    const { url } = await serve(httpServerSettings());
    const connection = openRawConnection(url);
    await connection.connected;
    const started = Date.now();
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: herald.test\r\n');
    trickle(connection, 'X-Endless: '.padEnd(1000, 'a'), 100);

    const { received, at } = await connection.closed;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(at - started).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
  });

  it('refuses the connection past HERALD_MAX_CONNECTIONS and keeps serving the open ones', async () => {
    process.env.HERALD_MAX_CONNECTIONS = '3';
    resetEnvCache();
    const settings = httpServerSettings();
    delete process.env.HERALD_MAX_CONNECTIONS;
    resetEnvCache();
    expect(settings.maxConnections).toBe(3);
    const { server, url } = await serve(settings);

    const open = [openRawConnection(url), openRawConnection(url), openRawConnection(url)];
    await Promise.all(open.map((connection) => connection.connected));
    const count = () => new Promise<number>((resolve) => server.getConnections((_, n) => resolve(n)));
    await waitFor(async () => (await count()) === 3, { what: 'the server to hold 3 connections' });

    const extra = openRawConnection(url);
    const { received } = await extra.closed;
    expect(received).toBe('');

    const first = open[0];
    if (!first) throw new Error('no connection');
    first.socket.write('GET /healthz HTTP/1.1\r\nHost: herald.test\r\nConnection: close\r\n\r\n');
    const answer = await first.closed;
    expect(answer.received).toMatch(/^HTTP\/1\.1 200 /);
    for (const connection of open) connection.socket.destroy();
  });
});
