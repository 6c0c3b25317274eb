import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listDeliveries } from '../../lib/activity-log/read-deliveries';
import { encrypt } from '../../lib/crypto/secret-box';
import { describeKeyCheck, verifyEncryptionKey } from '../../lib/crypto/verify-key';
import { prisma } from '../../lib/db/client';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvent } from '../../lib/events/emit-event';
import { createHub } from '../../lib/hubs/hubs';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { getWebhook } from '../../lib/webhooks/get-webhooks';
import { startWorker, waitForDelivery } from '../support/herald';
import { Receiver } from '../support/receiver';

/**
 * One webhook's bad data (a template rendering what cannot be stored, a secret the key cannot
 * open) fails that webhook's deliveries alone: the others go out once each, on time.
 */
let receiver: Receiver;
let worker: DeliveryWorker | undefined;

beforeAll(async () => {
  receiver = await new Receiver().start();
});

afterEach(async () => {
  await worker?.stop();
  worker = undefined;
});

afterAll(async () => {
  await receiver.close();
});

const EVENT = 'dynamic-content.content-item.updated';

async function hubWithGoodWebhook(slug: string) {
  const hub = await createHub(slug, slug);
  const good = await createWebhook(hub.id, {
    label: 'Good',
    events: [EVENT],
    handlers: [`${receiver.url}/${slug}/good`],
  });
  return { hub, good };
}

async function emitMany(hubId: string, count: number) {
  const events = [];
  for (let index = 0; index < count; index++) {
    events.push(await emitEvent(hubId, { name: EVENT, payload: { id: `item-${index}` } }));
  }
  return events.flatMap((event) => event.deliveries);
}

function requestsTo(path: string) {
  return receiver.requests.filter((request) => request.path === path);
}

describe('a template that renders a NUL byte', () => {
  it('fails its own deliveries with the reason; the good webhook gets every event exactly once', async () => {
    const { hub, good } = await hubWithGoodWebhook('nul-template');
    const poisoned = await createWebhook(hub.id, {
      label: 'NUL',
      events: [EVENT],
      handlers: [`${receiver.url}/nul-template/bad`],
      customPayload: { type: 'text/x-handlebars-template', value: '{"x":"{{decodeURI "%00"}}"}' },
    });
    const deliveries = await emitMany(hub.id, 6);
    worker = await startWorker({ leaseMs: 3000 });
    for (const delivery of deliveries.filter((d) => d.webhookId === poisoned.id)) {
      const done = await waitForDelivery(delivery.id, ['FAILED', 'DELIVERED']);
      expect(done.status).toBe('FAILED');
      expect(done.lastError).toContain('U+0000');
    }
    for (const delivery of deliveries.filter((d) => d.webhookId === good.id)) {
      expect((await waitForDelivery(delivery.id, ['DELIVERED'])).attempts).toHaveLength(1);
    }
    expect(requestsTo('/nul-template/bad')).toHaveLength(0);
    // Delivered after one attempt each, so none can be claimed and sent again when a lease runs out.
    expect(requestsTo('/nul-template/good')).toHaveLength(6);
    expect(new Set(requestsTo('/nul-template/good').map((request) => request.headers['webhook-id'])).size).toBe(6);
  });
});

describe('a webhook whose secret no longer decrypts', () => {
  it('has only its own deliveries held back, with the reason in the activity log and on the webhook', async () => {
    const { hub, good } = await hubWithGoodWebhook('unreadable-secret');
    const restored = await createWebhook(hub.id, {
      label: 'Restored from elsewhere',
      events: [EVENT],
      handlers: [`${receiver.url}/unreadable-secret/bad`],
    });
    // A row sealed with another install's key, as a restored backup would be.
    await prisma().webhook.update({
      where: { id: restored.id },
      data: { secretCiphertext: encrypt('x'.repeat(32), randomBytes(32)) },
    });
    const deliveries = await emitMany(hub.id, 4);
    worker = await startWorker({ schedule: [0, 60_000] });
    for (const delivery of deliveries.filter((d) => d.webhookId === good.id)) {
      expect((await waitForDelivery(delivery.id, ['DELIVERED'])).attempts).toHaveLength(1);
    }
    for (const delivery of deliveries.filter((d) => d.webhookId === restored.id)) {
      const held = await waitForDelivery(delivery.id, ['RETRYING', 'FAILED']);
      expect(held.lastError).toContain('secret cannot be decrypted');
    }
    expect(requestsTo('/unreadable-secret/good')).toHaveLength(4);
    expect(requestsTo('/unreadable-secret/bad')).toHaveLength(0);

    const log = await listDeliveries(hub.id, restored.id, {});
    expect(log.items.every((item) => item.lastError?.includes('secret cannot be decrypted'))).toBe(true);
    // The webhook still reads (the page shows why), with no secret to show.
    expect((await getWebhook(hub.id, restored.id)).secret).toBeNull();
    const check = await verifyEncryptionKey();
    expect(check.unreadableWebhooks).toEqual([restored.id]);
    expect(describeKeyCheck(check)).toContain('1 webhook has secrets this encryption key cannot open');
  });
});
