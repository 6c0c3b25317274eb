import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvent } from '../../lib/events/emit-event';
import { findDeliveryWebhook } from '../../lib/listen/delivery-webhook';
import { type Listener, startListener } from '../../lib/listen/listener';
import { standardWebhookSignature } from '../../lib/signing/signatures';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { defaultHubId, startWorker, waitForDelivery } from '../support/herald';
import { waitFor } from '../support/wait';

/** `npm run herald -- listen`'s server, in process, receiving what the real worker sends. */

const EVENT = 'dynamic-content.snapshot.published';
let hubId: string;
let worker: DeliveryWorker;
let listener: Listener;
const printed: string[] = [];

beforeAll(async () => {
  hubId = await defaultHubId();
  listener = await startListener({
    port: 0,
    host: '127.0.0.1',
    findWebhook: (deliveryId) => findDeliveryWebhook(deliveryId),
    print: (line) => printed.push(line),
  });
  worker = await startWorker();
});

afterAll(async () => {
  await worker.stop();
  await listener.close();
});

describe('herald listen', () => {
  it('prints a delivery from the worker as verified, and answers 204', async () => {
    const webhook = await createWebhook(hubId, {
      label: 'Walk-through',
      events: [EVENT],
      handlers: [`${listener.url}/hooks`],
    });
    const emitted = await emitEvent(hubId, { name: EVENT, payload: { createdFrom: 'content-item' } });
    const deliveryId = emitted.deliveries[0]?.id as string;
    const done = await waitForDelivery(deliveryId, ['DELIVERED']);
    expect(done.attempts[0]?.responseStatus).toBe(204);

    const line = await waitFor(() => printed.find((entry) => entry.includes(deliveryId)), { what: 'the line' });
    expect(line).toContain(EVENT);
    expect(line).toContain(`webhook ${webhook.id} "Walk-through"`);
    expect(line).toContain('→ 204 verified (X-Amplience-Webhook-Signature and webhook-signature)');
  });

  it('answers 401 and says why when a signature does not verify', async () => {
    await createWebhook(hubId, {
      label: 'Forged',
      events: ['dynamic-content.edition.published'],
      handlers: [listener.url],
    });
    const emitted = await emitEvent(hubId, { name: 'dynamic-content.edition.published', payload: { id: 'e1' } });
    const deliveryId = emitted.deliveries[0]?.id as string;
    await waitForDelivery(deliveryId, ['DELIVERED']);

    // The same delivery id, signed with a secret that is not the webhook's.
    const body = JSON.stringify({ name: 'dynamic-content.edition.published', payload: { id: 'forged' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(`${listener.url}/forged`, {
      method: 'POST',
      body,
      headers: {
        'webhook-id': deliveryId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': standardWebhookSignature(deliveryId, timestamp, body, ['not-the-secret']),
      },
    });
    expect(response.status).toBe(401);
    const line = printed.find((entry) => entry.includes(deliveryId) && entry.includes('401'));
    expect(line).toMatch(
      /→ 401 NOT verified: X-Amplience-Webhook-Signature is missing; webhook-signature does not match the webhook's secret$/,
    );

    const stranger = await fetch(`${listener.url}/x`, { method: 'POST', body: '{}' });
    expect(stranger.status).toBe(401);
    expect(printed.at(-1)).toContain('no webhook-id header: not a Herald delivery');
  });
});
