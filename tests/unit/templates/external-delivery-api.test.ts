import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '../../../lib/config/env';
import { ContentFetchError } from '../../../lib/content/errors';
import { deliveryApiUrl } from '../../../lib/content/external-delivery-api';
import { fetchContentItem } from '../../../lib/content/fetch-content-item';
import { renderRequest } from '../../../lib/templates/render-request';
import { closeRenderPool, contentItemUpdated, HOOK_URL } from './fixtures';

const CORE = 'http://bigcontent.io/cms/schema/v1/core#/definitions';
const ITEM_ID = '02a6c85b-a27f-491a-9983-41b4f4638782';

const target = { contentItemId: ITEM_ID, account: '', stagingEnvironment: '', locale: '', snapshotId: '' };

describe('deliveryApiUrl', () => {
  it('fills placeholders in HERALD_CONTENT_DELIVERY_URL', () => {
    const url = deliveryApiUrl('https://{account}.cdn.content.amplience.net', { ...target, account: 'ampproduct' });
    expect(url.href).toBe(
      `https://ampproduct.cdn.content.amplience.net/content/id/${ITEM_ID}?depth=all&format=inlined`,
    );
  });

  it('otherwise asks the staging environment, else the account CDN, as the seeds describe', () => {
    const base = 'https://delivery.example.com';
    expect(
      deliveryApiUrl(base, {
        ...target,
        account: 'ampproduct',
        stagingEnvironment: 'abc.staging.bigcontent.io',
        locale: 'fr-BE,en-GB',
      }).href,
    ).toBe(`https://abc.staging.bigcontent.io/content/id/${ITEM_ID}?depth=all&format=inlined&locale=fr-BE%2Cen-GB`);
    expect(deliveryApiUrl(base, { ...target, account: 'ampproduct' }).origin).toBe(
      'https://ampproduct.cdn.content.amplience.net',
    );
    expect(deliveryApiUrl(`${base}/`, target).href).toBe(`${base}/content/id/${ITEM_ID}?depth=all&format=inlined`);
  });

  it('refuses an account or staging environment that is not a host name', () => {
    expect(() => deliveryApiUrl('https://x', { ...target, stagingEnvironment: 'evil.com/steal?' })).toThrow(
      ContentFetchError,
    );
    expect(() => deliveryApiUrl('https://{account}.cdn', { ...target, account: 'a@b' })).toThrow(/not a host name/);
    expect(() => deliveryApiUrl('https://{account}.cdn', target)).toThrow(/needs account/);
  });
});

describe('an external content delivery API', () => {
  let server: http.Server;
  let origin: string;
  const requests: string[] = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      requests.push(request.url ?? '');
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname.endsWith('/slow')) return; // never answers
      if (url.pathname.endsWith('/broken')) {
        response.writeHead(503).end();
        return;
      }
      if (!url.pathname.endsWith(`/content/id/${ITEM_ID}`)) {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
        return;
      }
      const content = {
        _meta: { name: 'Winter sale banner', schema: 'http://docexample.com/tutorialbanner.json', deliveryId: ITEM_ID },
        headline: url.searchParams.get('locale') === 'fr-FR' ? 'Soldes' : 'Sale',
        background: {
          _meta: { schema: `${CORE}/image-link` },
          name: 'hat',
          endpoint: 'ampproduct',
          defaultHost: 'vse.example',
        },
      };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ content }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    delete process.env.HERALD_CONTENT_DELIVERY_URL;
    delete process.env.HERALD_ALLOW_PRIVATE_DESTINATIONS;
    resetEnvCache();
    await closeRenderPool();
  });

  const request = (contentItemId: string) => ({
    hubId: 'hub',
    contentItemId,
    account: 'ampproduct',
    stagingEnvironment: '',
    locale: 'fr-FR',
    snapshotId: '',
    mediaHost: '',
  });

  it('fetches the item, with media on the production host', async () => {
    const content = await fetchContentItem(request(ITEM_ID), {
      timeoutMs: 2000,
      deliveryUrl: `${origin}/{account}`,
      privateDestinations: 'loopback',
    });
    expect(content).toMatchObject({ headline: 'Soldes', background: { defaultHost: 'cdn.media.amplience.net' } });
    expect(requests.at(-1)).toBe(`/ampproduct/content/id/${ITEM_ID}?depth=all&format=inlined&locale=fr-FR`);
  });

  it('answers null for 404, and fails on error statuses and timeouts', async () => {
    const options = { timeoutMs: 300, deliveryUrl: `${origin}/{account}`, privateDestinations: 'loopback' as const };
    expect(await fetchContentItem(request('unknown'), options)).toBeNull();
    await expect(fetchContentItem(request('broken'), options)).rejects.toThrow(/answered 503/);
    await expect(fetchContentItem(request('slow'), options)).rejects.toThrow(/did not answer within 300 ms/);
  });

  it('passes the destination guard, like webhook deliveries', async () => {
    const options = { timeoutMs: 2000, deliveryUrl: `${origin}/{account}`, privateDestinations: 'none' as const };
    await expect(fetchContentItem(request(ITEM_ID), options)).rejects.toThrow(
      /refused to connect to 127\.0\.0\.1: private, loopback and link-local destinations are blocked/,
    );
  });

  it('is used by renderRequest when HERALD_CONTENT_DELIVERY_URL is set', async () => {
    process.env.HERALD_CONTENT_DELIVERY_URL = `${origin}/{account}`;
    process.env.HERALD_ALLOW_PRIVATE_DESTINATIONS = 'loopback';
    resetEnvCache();
    const result = await renderRequest({
      hubId: 'hub',
      urlTemplate: HOOK_URL,
      payloadTemplate:
        '{{#withDeliveryContentItem contentItemId=payload.id account="ampproduct" stagingEnvironment="" locale="fr-FR" mediaHost="images.example.com"}}' +
        '{{headline}} https://{{background.defaultHost}}/i/{{background.endpoint}}/{{background.name}}' +
        '{{/withDeliveryContentItem}}',
      envelope: contentItemUpdated(),
    });
    expect(result).toEqual({ ok: true, url: HOOK_URL, body: 'Soldes https://images.example.com/i/ampproduct/hat' });
  });
});
