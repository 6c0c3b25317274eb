import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { ValidationError } from '../../lib/errors';
import { emitEvent } from '../../lib/events/emit-event';
import editionScheduled from '../../lib/events/samples/edition.scheduled.json';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { updateWebhook } from '../../lib/webhooks/update-webhook';
import { apiToken, defaultHubId, startApiServer, startWorker, waitForDelivery } from '../support/herald';
import { Receiver } from '../support/receiver';

const EVENT = 'dynamic-content.edition.scheduled';
let hubId: string;
let api: { url: string; close(): Promise<void> };
let token: string;

beforeAll(async () => {
  hubId = await defaultHubId();
  api = await startApiServer();
  token = await apiToken(api.url, 'headers test');
});

afterAll(async () => {
  await api.close();
});

const base = { label: 'Headers', events: [EVENT], handlers: ['https://example.com/h'] };

async function post(headers: unknown[]) {
  const response = await fetch(`${api.url}/v2/content/hubs/${hubId}/webhooks`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...base, headers }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { errors: { property: string; message: string }[] },
  };
}

/** What lib/webhooks (shared by the API and the admin UI's actions) says about a header list. */
async function fieldErrors(save: () => Promise<unknown>) {
  const error = await save().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ValidationError)) throw new Error(`expected a ValidationError, got ${String(error)}`);
  return error.fieldErrors;
}

describe('header values HTTP cannot carry are refused on save, naming the header', () => {
  it.each([
    ['10 €', '"€" (U+20AC) at position 4'],
    ['snow ☃', '"☃" (U+2603) at position 6'],
    ['smile 😀 ok', '"😀" (U+1F600) at position 7'],
    ['one\r\nX-Injected: yes', 'a line break (U+000D) at position 4'],
    ['c1\u0085', 'a control character (U+0085) at position 3'],
    ['del\u007f', 'a control character (U+007F) at position 4'],
  ])('API: %j', async (value, what) => {
    const before = await prisma().webhook.count();
    const { status, body } = await post([
      { key: 'X-Fine', value: 'fine' },
      { key: 'X-Price', value, secret: false },
    ]);
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      {
        level: 'ERROR',
        code: 'VALIDATION_ERROR',
        property: 'headers.1.value',
        message: `headers.1.value: the value of X-Price holds ${what}: header values may only hold tabs, spaces and visible Latin-1 characters`,
      },
    ]);
    expect(await prisma().webhook.count()).toBe(before);
  });

  it('API: invalid header names, with the name in the message', async () => {
    for (const key of ['X Bad', 'X-Prix-€', 'X:Colon', 'X-Ünicode']) {
      const { status, body } = await post([{ key, value: 'v' }]);
      expect(status, key).toBe(400);
      expect(body.errors[0]?.property).toBe('headers.0.key');
      expect(body.errors[0]?.message).toContain(`header name "${key}" may hold only`);
    }
  });

  it('the same check on create and update through lib/webhooks, secret headers included', async () => {
    const created = await fieldErrors(() =>
      createWebhook(hubId, { ...base, headers: [{ key: 'X-Api-Key', value: 'k€y', secret: true }] }),
    );
    expect(created).toEqual([
      {
        field: 'headers.0.value',
        message:
          'the value of X-Api-Key holds "€" (U+20AC) at position 2: header values may only hold tabs, spaces and visible Latin-1 characters',
      },
    ]);

    // Through the API, U+0000 is refused for any field as the body is read (see api-limits.test.ts).
    const nul = await fieldErrors(() =>
      createWebhook(hubId, { ...base, headers: [{ key: 'X-Nul', value: 'a\u0000' }] }),
    );
    expect(nul[0]?.message).toContain('the value of X-Nul holds a control character (U+0000) at position 2');

    const webhook = await createWebhook(hubId, base);
    const updated = await fieldErrors(() =>
      updateWebhook(hubId, webhook.id, { headers: [{ key: 'X-Price', value: '10 €' }] }),
    );
    expect(updated.map((error) => error.field)).toEqual(['headers.0.value']);
    expect(updated[0]?.message).toContain('X-Price');
  });
});

describe('header values HTTP can carry', () => {
  let receiver: Receiver;
  let worker: DeliveryWorker;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    worker = await startWorker();
  });

  afterAll(async () => {
    await worker.stop();
    await receiver.close();
  });

  it('are saved and arrive as typed: Latin-1 letters, tabs, symbols', async () => {
    const value = 'Crème brûlée\t£10 ½ ©ÿ';
    const { status } = await post([{ key: 'X-Dessert', value }]);
    expect(status).toBe(201);

    const webhook = await createWebhook(hubId, {
      ...base,
      handlers: [`${receiver.url}/hook`],
      headers: [{ key: 'X-Dessert', value }],
    });
    const emitted = await emitEvent(hubId, { name: EVENT, payload: editionScheduled.payload });
    const delivery = emitted.deliveries.find((candidate) => candidate.webhookId === webhook.id);
    await waitForDelivery(delivery?.id as string, ['DELIVERED']);
    const received = receiver.requests.find((request) => request.path === '/hook');
    expect(received?.headers['x-dessert']).toBe(value);
  });
});
