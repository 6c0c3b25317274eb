import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '../../lib/config/env';
import { handleApiNodeRequest } from '../../lib/server/api-server';
import { createHttpServer, httpServerSettings } from '../../lib/server/http-server';
import { apiToken, defaultHubId } from '../support/herald';

const servers: http.Server[] = [];

/** The API behind Herald's web server, with HERALD_TRUST_PROXY as given. */
async function serve(trustProxy: 'true' | 'false'): Promise<string> {
  process.env.HERALD_TRUST_PROXY = trustProxy;
  resetEnvCache();
  const server = createHttpServer(
    (request, response) => void handleApiNodeRequest(request, response),
    httpServerSettings(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterAll(async () => {
  delete process.env.HERALD_TRUST_PROXY;
  resetEnvCache();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const FORGED = { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' };

async function hubLinks(url: string, token: string): Promise<string[]> {
  const response = await fetch(`${url}/v2/content/hubs`, { headers: { Authorization: `bearer ${token}`, ...FORGED } });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    _links: { self: { href: string } };
    _embedded: { hubs: { _links: Record<string, { href: string }> }[] };
  };
  return [body._links.self.href, ...body._embedded.hubs.flatMap((hub) => Object.values(hub._links).map((l) => l.href))];
}

describe('X-Forwarded-Host and X-Forwarded-Proto', () => {
  it('do not change the API’s links without HERALD_TRUST_PROXY', async () => {
    await defaultHubId();
    const url = await serve('false');
    const links = await hubLinks(url, await apiToken(url, 'untrusted proxy'));
    expect(links.length).toBeGreaterThan(1);
    for (const link of links) expect(link.startsWith(`${url}/v2/content/`)).toBe(true);
  });

  it('set the links’ origin behind a trusted proxy', async () => {
    const url = await serve('true');
    const links = await hubLinks(url, await apiToken(url, 'trusted proxy'));
    for (const link of links) expect(link.startsWith('https://evil.example/v2/content/')).toBe(true);
  });
});
