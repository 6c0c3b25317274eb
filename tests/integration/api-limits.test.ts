import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TOKEN_BODY_BYTES } from '../../lib/api/authenticate';
import { MAX_API_BODY_BYTES } from '../../lib/api/json-body';
import { createApiClient } from '../../lib/auth/api-clients';
import { prisma } from '../../lib/db/client';
import { defaultHubId, startApiServer } from '../support/herald';

let api: { url: string; close(): Promise<void> };
let client: { id: string; secret: string };
let token: string;
let hubId: string;

beforeAll(async () => {
  hubId = await defaultHubId();
  api = await startApiServer();
  client = await createApiClient('limits test');
  const response = await fetch(`${api.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }),
  });
  token = ((await response.json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await api.close();
});

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** Bytes of body the client had handed to its socket when the answer came. */
  sent: number;
}

/**
 * A POST over a real connection whose body never ends: chunked (no Content-Length), or with a
 * Content-Length far larger than what is sent. Only a server that refuses while the body is
 * still coming can answer it at all.
 */
function postEndless(path: string, headers: Record<string, string>, declaredLength?: number): Promise<RawAnswer> {
  const url = new URL(path, api.url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const request = http.request(url, {
      method: 'POST',
      headers: { ...headers, ...(declaredLength === undefined ? {} : { 'Content-Length': String(declaredLength) }) },
    });
    const chunk = Buffer.alloc(16 * 1024, 'a');
    const pump = () => {
      while (!answered && (declaredLength === undefined || sent + chunk.length < declaredLength)) {
        sent += chunk.length;
        if (!request.write(chunk)) {
          request.once('drain', pump);
          return;
        }
      }
    };
    request.on('response', (response) => {
      answered = true;
      const atAnswer = sent;
      const chunks: Buffer[] = [];
      response.on('data', (data: Buffer) => chunks.push(data));
      response.on('end', () => {
        request.destroy();
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          sent: atAnswer,
        });
      });
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (declaredLength === undefined) request.flushHeaders();
    pump();
  });
}

const bearer = () => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });

async function call(path: string, body: string, headers: Record<string, string> = bearer()) {
  const response = await fetch(`${api.url}${path}`, { method: 'POST', headers, body });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

function basic(user: string, password: string) {
  return { Authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}` };
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('bodies are capped while they stream in', () => {
  it('POST /oauth/token refuses more than 8 KB: declared, or chunked without end', async () => {
    expect(MAX_TOKEN_BODY_BYTES).toBe(8 * 1024);
    const tooLarge = { error: 'invalid_request', error_description: 'body may be at most 8 KB' };

    const declared = await postEndless('/oauth/token', FORM, 64 * 1024 * 1024);
    expect(declared.status).toBe(413);
    expect(declared.body).toEqual(tooLarge);

    const chunked = await postEndless('/oauth/token', FORM);
    expect(chunked.status).toBe(413);
    expect(chunked.body).toEqual(tooLarge);
    // Refused after about the limit: what the client managed to send is what the sockets buffer.
    expect(chunked.sent).toBeLessThan(32 * 1024 * 1024);

    const padded = await call(
      '/oauth/token',
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.id,
        client_secret: client.secret,
        pad: 'x'.repeat(9000),
      }).toString(),
      FORM,
    );
    expect(padded.status).toBe(413);

    const fine = await call(
      '/oauth/token',
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.id,
        client_secret: client.secret,
      }).toString(),
      FORM,
    );
    expect(fine.status).toBe(200);
  });

  it('the API refuses more than 1 MB with its error shape: declared, or chunked without end', async () => {
    expect(MAX_API_BODY_BYTES).toBe(1024 * 1024);
    const before = await prisma().event.count();
    const tooLarge = { errors: [{ level: 'ERROR', code: 'PAYLOAD_TOO_LARGE', message: 'body may be at most 1 MB' }] };
    const path = `/v2/content/hubs/${hubId}/events`;

    const declared = await postEndless(path, bearer(), 64 * 1024 * 1024);
    expect(declared.status).toBe(413);
    expect(declared.body).toEqual(tooLarge);

    const chunked = await postEndless(path, bearer());
    expect(chunked.status).toBe(413);
    expect(chunked.body).toEqual(tooLarge);
    expect(chunked.sent).toBeLessThan(32 * 1024 * 1024);

    const webhook = await postEndless(`/v2/content/hubs/${hubId}/webhooks`, bearer());
    expect(webhook.status).toBe(413);
    expect(await prisma().event.count()).toBe(before);

    // Just under the limit is fine.
    const big = JSON.stringify({
      name: 'dynamic-content.edition.scheduled',
      payload: { id: 'e', text: 'x'.repeat(1000 * 1000) },
    });
    expect((await call(path, big)).status).toBe(202);
  });
});

describe('malformed input is a 4xx that says what is wrong, never a 500', () => {
  it('HTTP Basic credentials with malformed %-escapes or NUL', async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials' }).toString();
    const malformed = await call('/oauth/token', form, { ...FORM, ...basic('%E0%A4%A', client.secret) });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({
      error: 'invalid_request',
      error_description: 'client_id in the Authorization: Basic header has a malformed %-escape',
    });

    const badSecret = await call('/oauth/token', form, { ...FORM, ...basic(client.id, '100%') });
    expect(badSecret.status).toBe(400);
    expect(badSecret.body.error_description).toBe(
      'client_secret in the Authorization: Basic header has a malformed %-escape',
    );

    const nul = await call('/oauth/token', form, { ...FORM, ...basic('%00', client.secret) });
    expect(nul.status).toBe(400);
    expect(nul.body.error_description).toBe('client_id may not contain the NUL character');

    const encoded = await call('/oauth/token', form, {
      ...FORM,
      ...basic(encodeURIComponent(client.id), encodeURIComponent(client.secret)),
    });
    expect(encoded.status).toBe(200);
  });

  it('token requests whose JSON body is not an object', async () => {
    for (const body of ['null', '[1]', '"x"', '{oops']) {
      const answer = await call('/oauth/token', body, { 'Content-Type': 'application/json' });
      expect(answer.status, body).toBe(400);
      expect(answer.body.error, body).toBe('invalid_request');
    }
  });

  it('NUL inside event payload strings: 400 naming the field, nothing stored', async () => {
    const before = await prisma().event.count();
    const items = await prisma().contentItem.count();
    const event = {
      name: 'dynamic-content.content-item.updated',
      payload: {
        id: 'c0ffee00-0000-4000-8000-000000000000',
        body: { _meta: { schema: 'https://s.json' }, text: 'a\u0000b' },
      },
    };
    const answer = await call(`/v2/content/hubs/${hubId}/events`, JSON.stringify(event));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      {
        level: 'ERROR',
        code: 'VALIDATION_ERROR',
        property: 'payload.body.text',
        message: 'payload.body.text: this string contains the NUL character (\\u0000), which cannot be stored',
      },
    ]);

    const inKey = await call(
      `/v2/content/hubs/${hubId}/events`,
      JSON.stringify({ name: 'dynamic-content.edition.scheduled', payload: { list: [{ 'a\u0000': 1 }] } }),
    );
    expect(inKey.status).toBe(400);
    expect((inKey.body.errors as { property: string }[])[0]?.property).toBe('payload.list.0');
    expect(await prisma().event.count()).toBe(before);
    expect(await prisma().contentItem.count()).toBe(items);
  });

  it('NUL in webhook fields, and malformed %-escapes in the path', async () => {
    const webhook = {
      label: 'bad\u0000label',
      events: ['dynamic-content.edition.scheduled'],
      handlers: ['https://example.com/h'],
    };
    const answer = await call(`/v2/content/hubs/${hubId}/webhooks`, JSON.stringify(webhook));
    expect(answer.status).toBe(400);
    expect((answer.body.errors as { property: string }[])[0]?.property).toBe('label');

    const path = await fetch(`${api.url}/v2/content/hubs/%E0%A4%A/webhooks`, { headers: bearer() });
    expect(path.status).toBe(400);
    expect(((await path.json()) as { errors: { message: string }[] }).errors[0]?.message).toBe(
      'the hubId in the path has a malformed %-escape',
    );
  });
});
