import type http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '../../lib/config/env';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvent } from '../../lib/events/emit-event';
import { createHub } from '../../lib/hubs/hubs';
import { logger } from '../../lib/logger';
import { serveWorkerMetrics } from '../../lib/metrics/serve-metrics';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { startWorker, waitForDelivery } from '../support/herald';
import { Receiver } from '../support/receiver';

const TOKEN = 'metrics-test-token-0123456789';
let server: http.Server | null;
let url: string;
let receiver: Receiver;
let worker: DeliveryWorker;

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  process.env.HERALD_METRICS_TOKEN = TOKEN;
  resetEnvCache();
  const port = await freePort();
  server = await serveWorkerMetrics(port, logger('test'));
  url = `http://127.0.0.1:${port}/metrics`;
  receiver = await new Receiver((request) => ({ status: request.path === '/fail' ? 500 : 200 })).start();
  worker = await startWorker({ schedule: [0] });
});

afterAll(async () => {
  server?.close();
  await worker.stop();
  await receiver.close();
  delete process.env.HERALD_METRICS_TOKEN;
  resetEnvCache();
});

/** Samples of the text exposition format; every line must be a comment or `name{labels} value`. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (-?[0-9.e+-]+|NaN|\+Inf)$/.exec(line);
    if (!match?.[1] || !match[2]) throw new Error(`not exposition format: ${line}`);
    samples.set(match[1], Number(match[2]));
  }
  return samples;
}

async function scrape(): Promise<Map<string, number>> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return parse(await response.text());
}

describe('GET /metrics', () => {
  it('needs the token', async () => {
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
  });

  it('moves when events come in and deliveries happen', async () => {
    const hub = await createHub('metrics', 'Metrics');
    const before = await scrape();
    const ok = await createWebhook(hub.id, {
      label: 'OK',
      events: ['dynamic-content.edition.published'],
      handlers: [`${receiver.url}/ok`],
    });
    await createWebhook(hub.id, {
      label: 'Fail',
      events: ['dynamic-content.edition.published'],
      handlers: [`${receiver.url}/fail`],
    });
    const event = await emitEvent(hub.id, { name: 'dynamic-content.edition.published', payload: {} });
    for (const delivery of event.deliveries) await waitForDelivery(delivery.id, ['DELIVERED', 'FAILED']);
    const after = await scrape();
    const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    expect(delta(`herald_events_ingested_total{hub="${hub.id}"}`)).toBe(1);
    expect(delta('herald_deliveries_total{status="delivered"}')).toBe(1);
    expect(delta('herald_deliveries_total{status="failed"}')).toBe(1);
    expect(delta('herald_delivery_attempt_duration_seconds_count')).toBe(2);
    expect(after.has('herald_queue_depth')).toBe(true);
    expect(after.get('herald_queue_oldest_due_seconds')).toBeGreaterThanOrEqual(0);
    expect(after.has('herald_webhooks_disabled')).toBe(true);
    expect(ok.id).toBeTruthy();
  });
});
