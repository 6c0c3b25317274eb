import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDelivery } from '../../lib/activity-log/read-deliveries';
import { resetEnvCache } from '../../lib/config/env';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvent } from '../../lib/events/emit-event';
import contentItemUpdated from '../../lib/events/samples/content-item.updated.json';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { updateWebhook } from '../../lib/webhooks/update-webhook';
import { defaultHubId, startWorker, waitForDelivery } from '../support/herald';
import { Receiver } from '../support/receiver';

let hubId: string;
let receiver: Receiver;
let worker: DeliveryWorker;

beforeAll(async () => {
  hubId = await defaultHubId();
  receiver = await new Receiver().start();
  worker = await startWorker({ schedule: [0, 50] });
});

afterAll(async () => {
  await worker.stop();
  await receiver.close();
});

async function deliveryFor(webhookId: string, name: string, payload: Record<string, unknown>) {
  const emitted = await emitEvent(hubId, { name, payload });
  const delivery = emitted.deliveries.find((candidate) => candidate.webhookId === webhookId);
  if (!delivery) throw new Error('no delivery');
  return delivery.id;
}

describe('templated deliveries', () => {
  it('renders a templated DELETE URL and a custom payload, stored with the delivery and resent as is', async () => {
    const template = '{"edition": "{{payload.id}}", "name": "{{payload.name}}"}';
    const webhook = await createWebhook(hubId, {
      label: 'Unschedule from index',
      events: ['dynamic-content.edition.unscheduled'],
      method: 'DELETE',
      handlers: [`${receiver.url}/indexes/editions/{{encodeURI payload.id}}`],
      customPayload: { type: 'text/x-handlebars-template', value: template },
    });
    let calls = 0;
    receiver.respondWith(() => (++calls === 1 ? { status: 500 } : { status: 204 }));
    const id = await deliveryFor(webhook.id, 'dynamic-content.edition.unscheduled', { id: 'a/b c', name: 'Nov' });
    const done = await waitForDelivery(id, ['DELIVERED']);
    const [first, second] = receiver.requests.slice(-2);
    expect(first?.method).toBe('DELETE');
    expect(first?.path).toBe('/indexes/editions/a%2Fb%20c');
    expect(JSON.parse(first?.body ?? '')).toEqual({ edition: 'a/b c', name: 'Nov' });
    expect(second?.body).toBe(first?.body);
    expect(done.payloadTemplate).toBe(template);
    expect(done.urlTemplate).toContain('{{encodeURI payload.id}}');
    expect(done.requestUrl).toBe(`${receiver.url}/indexes/editions/a%2Fb%20c`);
  });

  it('resends the standard envelope byte for byte, though the webhook got a custom payload meanwhile', async () => {
    const webhook = await createWebhook(hubId, {
      label: 'Envelope kept',
      events: ['dynamic-content.edition.unscheduled'],
      handlers: [`${receiver.url}/envelope`],
    });
    let calls = 0;
    receiver.respondWith(async (request) => {
      // The first test's webhook takes this event too, sent in any order beside this one: only
      // this webhook's requests are counted.
      if (request.path !== '/envelope' || ++calls > 1) return { status: 204 };
      await updateWebhook(hubId, webhook.id, {
        customPayload: { type: 'text/x-handlebars-template', value: '{"changed": true}' },
      });
      return { status: 500 };
    });
    const id = await deliveryFor(webhook.id, 'dynamic-content.edition.unscheduled', { id: 'e1', name: 'Nov' });
    const done = await waitForDelivery(id, ['DELIVERED']);
    const [first, second] = receiver.requests.filter((request) => request.path === '/envelope');
    expect(JSON.parse(first?.body ?? '')).toMatchObject({ name: 'dynamic-content.edition.unscheduled' });
    expect(second?.body).toBe(first?.body);
    // The row keeps no copy of the envelope: the log rebuilds it from the event, as it was sent.
    expect(done.requestBody).toBeNull();
    expect(done.payloadTemplate).toBeNull();
    const logged = await getDelivery(hubId, webhook.id, id);
    expect(logged.request?.body).toBe(first?.body);
    expect(logged.attempts).toHaveLength(2);
  });

  it('honours a custom Content-Type for non-JSON output', async () => {
    const webhook = await createWebhook(hubId, {
      label: 'Plain text',
      events: ['dynamic-content.content-item.updated'],
      handlers: [`${receiver.url}/text`],
      headers: [{ key: 'Content-Type', value: 'text/plain; charset=utf-8' }],
      customPayload: {
        type: 'text/x-handlebars-template',
        value: '{{payload.label}} is {{lowercase payload.publishingStatus}}',
      },
    });
    receiver.respondWith(() => ({ status: 200 }));
    await waitForDelivery(
      await deliveryFor(webhook.id, 'dynamic-content.content-item.updated', contentItemUpdated.payload),
      ['DELIVERED'],
    );
    // By path, not the last request received: the previous test's event may still be on its way to
    // the first test's webhook.
    const request = receiver.requests.find((candidate) => candidate.path === '/text');
    expect(request?.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(request?.body).toBe('Winter sale banner is unpublished');
  });

  it('fails a delivery whose output is over 200 KB, naming both sizes', async () => {
    const webhook = await createWebhook(hubId, {
      label: 'Too big',
      events: ['dynamic-content.edition.published'],
      handlers: [`${receiver.url}/big`],
      // `center` pads with "&nbsp;" on both sides: 27,000 × 2 × 6 bytes is over 300 KB.
      customPayload: { type: 'text/x-handlebars-template', value: '{{{center payload.name 27000}}}' },
    });
    const id = await deliveryFor(webhook.id, 'dynamic-content.edition.published', { name: 'x' });
    const done = await waitForDelivery(id, ['FAILED']);
    expect(done.lastError).toBe('The custom payload rendered to 316.4 KB; the limit is 200 KB');
    expect(receiver.requests.some((request) => request.path === '/big')).toBe(false);
  });

  it('a hostile template fails with "render timed out" while the next delivery goes out', async () => {
    const hostile = await createWebhook(hubId, {
      label: 'Hostile',
      events: ['dynamic-content.content-item.assigned'],
      handlers: [`${receiver.url}/hostile`],
      customPayload: {
        type: 'text/x-handlebars-template',
        // 1,000³ iterations over a list the event carries: minutes of work if nothing stopped it.
        value:
          '{{#each (split payload.list ",")}}{{#each (split @root.payload.list ",")}}{{#each (split @root.payload.list ",")}}.{{/each}}{{/each}}{{/each}}',
      },
    });
    const friendly = await createWebhook(hubId, {
      label: 'Friendly',
      events: ['dynamic-content.content-item.assigned'],
      handlers: [`${receiver.url}/friendly`],
      customPayload: { type: 'text/x-handlebars-template', value: '{"id":"{{payload.id}}"}' },
    });
    receiver.respondWith(() => ({ status: 200 }));
    const emitted = await emitEvent(hubId, {
      name: 'dynamic-content.content-item.assigned',
      payload: { id: 'abc', list: Array.from({ length: 1000 }, (_, index) => index).join(',') },
    });
    const hostileId = emitted.deliveries.find((delivery) => delivery.webhookId === hostile.id)?.id as string;
    const friendlyId = emitted.deliveries.find((delivery) => delivery.webhookId === friendly.id)?.id as string;
    await waitForDelivery(friendlyId, ['DELIVERED']);
    const failed = await waitForDelivery(hostileId, ['FAILED']);
    expect(failed.lastError).toMatch(/render timed out after \d+ ms/);
    expect(receiver.requests.find((request) => request.path === '/friendly')?.body).toBe('{"id":"abc"}');
  });

  it('retries a delivery whose content could not be fetched, then renders it with the content', async () => {
    const contentApi = await new Receiver().start();
    let fetches = 0;
    contentApi.respondWith(() =>
      ++fetches === 1
        ? { status: 503 }
        : {
            status: 200,
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ content: { headline: 'Hi' } }),
          },
    );
    process.env.HERALD_CONTENT_DELIVERY_URL = contentApi.url;
    resetEnvCache();
    try {
      const webhook = await createWebhook(hubId, {
        label: 'With content',
        events: ['dynamic-content.content-item.created'],
        handlers: [`${receiver.url}/with-content`],
        customPayload: {
          type: 'text/x-handlebars-template',
          value:
            '{{#withDeliveryContentItem contentItemId=payload.id}}{"headline":"{{headline}}"}{{/withDeliveryContentItem}}',
        },
      });
      receiver.respondWith(() => ({ status: 200 }));
      const id = await deliveryFor(webhook.id, 'dynamic-content.content-item.created', { id: 'item-9' });
      const done = await waitForDelivery(id, ['DELIVERED']);
      expect(done.attempts[0]?.error).toContain('could not fetch content item "item-9"');
      expect(done.attempts[0]?.succeeded).toBe(false);
      expect(receiver.requests.find((request) => request.path === '/with-content')?.body).toBe('{"headline":"Hi"}');
      expect(contentApi.requests[0]?.path).toBe('/content/id/item-9?depth=all&format=inlined');
    } finally {
      delete process.env.HERALD_CONTENT_DELIVERY_URL;
      resetEnvCache();
      await contentApi.close();
    }
  });
});
