import { WebhookSignature } from 'dc-management-sdk-js';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDelivery } from '../../lib/activity-log/read-deliveries';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvent } from '../../lib/events/emit-event';
import editionScheduled from '../../lib/events/samples/edition.scheduled.json';
import { standardWebhookSecret } from '../../lib/signing/signatures';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { basicAuthHeaderValue } from '../../lib/webhooks/headers';
import { regenerateSecret } from '../../lib/webhooks/update-webhook';
import { defaultHubId, startWorker, waitForDelivery } from '../support/herald';
import { Receiver } from '../support/receiver';

const EVENT = 'dynamic-content.edition.scheduled';
let hubId: string;
let receiver: Receiver;
let worker: DeliveryWorker;

beforeAll(async () => {
  hubId = await defaultHubId();
  receiver = await new Receiver().start();
  worker = await startWorker();
});

afterAll(async () => {
  await worker.stop();
  await receiver.close();
});

describe('signed deliveries', () => {
  it('sends the standard envelope with both signatures, standard and custom headers', async () => {
    const webhook = await createWebhook(hubId, {
      label: 'Signed',
      events: [EVENT],
      handlers: [`${receiver.url}/hook`],
      headers: [
        { key: 'X-Example-Customer-Header', value: 'Example-Value' },
        { key: 'X-Example-API-Key', value: 'api-key-123', secret: true },
        { key: 'Authorization', value: basicAuthHeaderValue('user', 'p4ss'), secret: true },
      ],
    });
    expect(webhook.secret).toHaveLength(128);

    const before = receiver.requests.length;
    const emitted = await emitEvent(hubId, { name: EVENT, payload: editionScheduled.payload });
    const [delivery] = emitted.deliveries;
    const done = await waitForDelivery(delivery?.id as string, ['DELIVERED']);
    const request = receiver.requests[before];
    if (!request) throw new Error('no request received');

    expect(request.method).toBe('POST');
    expect(request.path).toBe('/hook');
    // Byte for byte: the payload keeps the key order it was emitted with.
    expect(request.body).toBe(
      JSON.stringify({
        sequenceId: emitted.sequenceId,
        id: emitted.id,
        name: EVENT,
        requestId: emitted.envelope.requestId,
        resource: hubId,
        payload: editionScheduled.payload,
      }),
    );
    const envelope = JSON.parse(request.body);
    expect(envelope).toEqual({
      sequenceId: emitted.sequenceId,
      id: emitted.id,
      name: EVENT,
      requestId: expect.any(String),
      resource: hubId,
      payload: editionScheduled.payload,
    });

    expect(request.headers['x-amplience-webhook-signature']).toBe(
      await WebhookSignature.calculate(Buffer.from(request.body), webhook.secret ?? ''),
    );
    const verifier = new StandardWebhook(standardWebhookSecret(webhook.secret ?? ''));
    expect(() =>
      verifier.verify(request.body, {
        'webhook-id': request.headers['webhook-id'] as string,
        'webhook-timestamp': request.headers['webhook-timestamp'] as string,
        'webhook-signature': request.headers['webhook-signature'] as string,
      }),
    ).not.toThrow();
    expect(request.headers['webhook-id']).toBe(delivery?.id);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toMatch(/^Herald-Webhook\/\d+\.\d+\.\d+$/);
    expect(request.headers['content-length']).toBe(String(Buffer.byteLength(request.body)));
    expect(request.headers['x-example-customer-header']).toBe('Example-Value');
    expect(request.headers['x-example-api-key']).toBe('api-key-123');
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('user:p4ss').toString('base64')}`);

    // The log shows the request as sent, with secrets masked; the standard envelope is rebuilt
    // from the event rather than kept in each delivery's row.
    const logged = await getDelivery(hubId, webhook.id, done.id);
    const headers = logged.request?.headers ?? {};
    expect(headers['X-Example-API-Key']).toBe('********');
    expect(headers.Authorization).toBe('********');
    expect(headers['X-Example-Customer-Header']).toBe('Example-Value');
    expect(logged.request?.body).toBe(request.body);
    expect(done.requestBody).toBeNull();
    expect(done.attempts).toHaveLength(1);
    expect(done.attempts[0]?.responseStatus).toBe(200);
  });

  it('uses the chosen method and lets Content-Type be replaced', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      await createWebhook(hubId, {
        label: `Method ${method}`,
        events: ['dynamic-content.edition.unscheduled'],
        handlers: [`${receiver.url}/${method.toLowerCase()}`],
        method,
        headers: [{ key: 'Content-Type', value: 'application/vnd.example+json' }],
      });
    }
    const before = receiver.requests.length;
    const emitted = await emitEvent(hubId, { name: 'dynamic-content.edition.unscheduled', payload: { id: 'e1' } });
    await Promise.all(emitted.deliveries.map((delivery) => waitForDelivery(delivery.id, ['DELIVERED'])));
    const received = receiver.requests.slice(before);
    expect(received.map((request) => `${request.method} ${request.path}`).sort()).toEqual([
      'DELETE /delete',
      'PATCH /patch',
      'PUT /put',
    ]);
    for (const request of received) expect(request.headers['content-type']).toBe('application/vnd.example+json');
  });

  it('keeps signing with the previous secret for the grace period after a regenerate', async () => {
    const webhook = await createWebhook(hubId, {
      label: 'Rotating',
      events: ['dynamic-content.edition.published'],
      handlers: [`${receiver.url}/rotate`],
    });
    const rotated = await regenerateSecret(hubId, webhook.id);
    expect(rotated.secret).not.toBe(webhook.secret);
    expect(rotated.secret).toHaveLength(128);

    const before = receiver.requests.length;
    const emitted = await emitEvent(hubId, { name: 'dynamic-content.edition.published', payload: { id: 'p1' } });
    await waitForDelivery(emitted.deliveries[0]?.id as string, ['DELIVERED']);
    const request = receiver.requests[before];
    if (!request) throw new Error('no request received');
    const headers = {
      'webhook-id': request.headers['webhook-id'] as string,
      'webhook-timestamp': request.headers['webhook-timestamp'] as string,
      'webhook-signature': request.headers['webhook-signature'] as string,
    };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [webhook.secret, rotated.secret]) {
      expect(() =>
        new StandardWebhook(standardWebhookSecret(secret ?? '')).verify(request.body, headers),
      ).not.toThrow();
    }
    expect(request.headers['x-amplience-webhook-signature']).toBe(
      await WebhookSignature.calculate(Buffer.from(request.body), rotated.secret ?? ''),
    );
  });
});
