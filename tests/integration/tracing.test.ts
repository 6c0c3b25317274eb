import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { parseTracingConfig } from '../../lib/tracing/config';
import { flushTracing, startTracing, stopTracing } from '../../lib/tracing/tracing';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { apiToken } from '../support/api-token';
import { defaultHubId, startApiServer, startWorker, waitForDelivery } from '../support/herald';
import { type CollectedSpan, OtlpCollector, SPAN_KIND, STATUS_CODE } from '../support/otlp-collector';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait';

/**
 * OpenTelemetry end to end: Herald's API and a delivery worker in this process, a producer sending
 * its own traceparent, a receiver that fails the first attempt and takes the second, and an OTLP/HTTP
 * collector of the test's own. Tracing off first (the process starts without it), then on.
 */
const EVENT = 'dynamic-content.content-item.updated';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PRODUCER_SPAN_ID = '00f067aa0ba902b7';
const PRODUCER_TRACEPARENT = `00-${TRACE_ID}-${PRODUCER_SPAN_ID}-01`;

let api: Awaited<ReturnType<typeof startApiServer>>;
let token: string;
let hubId: string;
let receiver: Receiver;
let collector: OtlpCollector;
let worker: DeliveryWorker;

beforeAll(async () => {
  hubId = await defaultHubId();
  api = await startApiServer();
  token = await apiToken(api.url, 'tracing test');
  collector = await new OtlpCollector().start();
  // The first request of each path fails, the next ones succeed.
  const seen = new Set<string>();
  receiver = await new Receiver((request) => {
    if (seen.has(request.path)) return { status: 200, body: 'ok' };
    seen.add(request.path);
    return { status: 500, body: 'not yet' };
  }).start();
  worker = await startWorker({ schedule: [0, 50, 50] });
});

afterAll(async () => {
  await worker.stop();
  await stopTracing();
  await receiver.close();
  await collector.close();
  await api.close();
});

/** A webhook of its own (by path and payload id), and an event for it sent through the API. */
async function deliverOnce(path: string, headers: Record<string, string>) {
  const webhook = await createWebhook(hubId, {
    label: path,
    events: [EVENT],
    handlers: [`${receiver.url}${path}`],
    filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.id' }, { value: path }] }],
  });
  const response = await fetch(`${api.url}/v2/content/hubs/${hubId}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ name: EVENT, payload: { id: path } }),
  });
  expect(response.status).toBe(202);
  const event = (await response.json()) as { id: string; deliveries: { id: string; webhookId: string }[] };
  const deliveryId = event.deliveries.find((delivery) => delivery.webhookId === webhook.id)?.id;
  if (!deliveryId) throw new Error('no delivery for the webhook');
  const delivery = await waitForDelivery(deliveryId, ['DELIVERED']);
  return { webhook, event, delivery, requests: receiver.requests.filter((request) => request.path === path) };
}

describe('tracing off (no OTLP endpoint)', () => {
  it('sends no span, and carries the producer’s traceparent unchanged to every attempt', async () => {
    expect(parseTracingConfig({})).toBeNull();
    const { event, delivery, requests } = await deliverOnce('/off', { traceparent: PRODUCER_TRACEPARENT });
    expect(requests.map((request) => request.headers.traceparent)).toEqual([
      PRODUCER_TRACEPARENT,
      PRODUCER_TRACEPARENT,
    ]);
    expect(delivery.attempts.map((attempt) => (attempt.requestHeaders as Record<string, string>).traceparent)).toEqual([
      PRODUCER_TRACEPARENT,
      PRODUCER_TRACEPARENT,
    ]);
    const stored = await prisma().event.findUniqueOrThrow({ where: { id: event.id } });
    expect(stored.traceParent).toBe(PRODUCER_TRACEPARENT);
    expect(collector.exports).toEqual([]);
  });

  it('sends no traceparent when the producer sent none', async () => {
    const { requests } = await deliverOnce('/off-untraced', {});
    expect(requests.map((request) => request.headers.traceparent)).toEqual([undefined, undefined]);
  });
});

describe('tracing on (OTLP/HTTP JSON)', () => {
  beforeAll(async () => {
    const config = parseTracingConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'herald-under-test',
    });
    expect(await startTracing(config)).toBe(true);
  });

  /** The trace's spans once the attempts' client spans have reached the collector. */
  async function spansOf(traceId: string, attempts: number): Promise<CollectedSpan[]> {
    return waitFor(
      async () => {
        await flushTracing();
        const spans = collector.inTrace(traceId);
        return spans.filter((span) => span.name === 'herald.deliver').length >= attempts && spans;
      },
      { what: `${attempts} attempt spans in trace ${traceId}` },
    );
  }

  it('continues the producer’s trace: server span, emit span, and a client span per attempt with its outcome', async () => {
    const { webhook, event, delivery, requests } = await deliverOnce('/on', { traceparent: PRODUCER_TRACEPARENT });
    const spans = await spansOf(TRACE_ID, 2);

    const server = spans.find((span) => span.kind === SPAN_KIND.SERVER);
    expect(server).toMatchObject({
      name: 'POST /v2/content/hubs/:hubId/events',
      parentSpanId: PRODUCER_SPAN_ID,
      attributes: { 'http.request.method': 'POST', 'http.route': '/v2/content/hubs/:hubId/events' },
    });
    expect(server?.attributes['http.response.status_code']).toBe(202);
    expect(server?.resource['service.name']).toBe('herald-under-test');

    const emit = spans.find((span) => span.name === 'herald.emit');
    expect(emit).toMatchObject({
      kind: SPAN_KIND.PRODUCER,
      parentSpanId: server?.spanId,
      attributes: { 'herald.hub.id': hubId, 'herald.event.id': event.id, 'herald.event.name': EVENT },
    });

    const attempts = spans
      .filter((span) => span.name === 'herald.deliver')
      .sort((a, b) => Number(a.attributes['herald.attempt']) - Number(b.attributes['herald.attempt']));
    const common = {
      'herald.webhook.id': webhook.id,
      'herald.hub.id': hubId,
      'herald.event.id': event.id,
      'herald.event.name': EVENT,
      'herald.delivery.id': delivery.id,
      'http.request.method': 'POST',
      'url.full': `${receiver.url}/on`,
      'server.address': '127.0.0.1',
    };
    expect(attempts).toHaveLength(2);
    expect(attempts[0]).toMatchObject({
      kind: SPAN_KIND.CLIENT,
      parentSpanId: emit?.spanId,
      attributes: {
        ...common,
        'herald.attempt': 1,
        'http.response.status_code': 500,
        'herald.delivery.outcome': 'RETRYING',
        'error.type': '500',
      },
      status: { code: STATUS_CODE.ERROR, message: 'HTTP 500' },
    });
    expect(attempts[1]).toMatchObject({
      kind: SPAN_KIND.CLIENT,
      parentSpanId: emit?.spanId,
      attributes: {
        ...common,
        'herald.attempt': 2,
        'http.response.status_code': 200,
        'herald.delivery.outcome': 'DELIVERED',
      },
      status: { code: STATUS_CODE.UNSET },
    });

    // Each request carries its own attempt span's context, so the receiver's trace joins this one.
    expect(requests.map((request) => request.headers.traceparent)).toEqual(
      attempts.map((attempt) => `00-${TRACE_ID}-${attempt.spanId}-01`),
    );
    expect(delivery.attempts.map((attempt) => (attempt.requestHeaders as Record<string, string>).traceparent)).toEqual(
      attempts.map((attempt) => `00-${TRACE_ID}-${attempt.spanId}-01`),
    );
    // What a retry hours later reads: the emit's context, stored with the event.
    const stored = await prisma().event.findUniqueOrThrow({ where: { id: event.id } });
    expect(stored.traceParent).toBe(`00-${TRACE_ID}-${emit?.spanId}-01`);
  });

  it('starts a trace of its own for a request without a traceparent', async () => {
    const { event, requests } = await deliverOnce('/on-untraced', {});
    const emit = await waitFor(
      async () => {
        await flushTracing();
        return collector.spans.find((span) => span.attributes['herald.event.id'] === event.id);
      },
      { what: 'the emit span' },
    );
    const spans = await spansOf(emit.traceId, 2);
    const server = spans.find((span) => span.kind === SPAN_KIND.SERVER);
    expect(server?.parentSpanId).toBe('');
    expect(emit.parentSpanId).toBe(server?.spanId);
    expect(new Set(requests.map((request) => request.headers.traceparent?.toString().slice(3, 35)))).toEqual(
      new Set([emit.traceId]),
    );
  });

  it('exports http/protobuf, the default protocol, to the traces endpoint', async () => {
    await stopTracing();
    await startTracing(parseTracingConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/v1/traces` }));
    const before = collector.exports.length;
    await deliverOnce('/on-protobuf', { traceparent: PRODUCER_TRACEPARENT });
    await waitFor(
      async () => {
        await flushTracing();
        return collector.exports.slice(before).some((sent) => sent.contentType === 'application/x-protobuf');
      },
      { what: 'a protobuf export' },
    );
    expect(collector.exports.slice(before).every((sent) => sent.path === '/v1/traces' && sent.bytes > 0)).toBe(true);
  });
});
