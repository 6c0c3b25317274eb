import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { ensureDatabase, startEmbeddedPostgres } from '../lib/db/embedded';
import { migrate } from '../lib/db/migrate';
import contentItemUpdated from '../lib/events/samples/content-item.updated.json';
import { amplienceSignature, standardWebhookSignature } from '../lib/signing/signatures';

/**
 * `npm run bench`: end-to-end delivery throughput and latency on this machine, against a durable
 * PostgreSQL (fsync on), the real worker process and a receiver process on 127.0.0.1, next to the
 * ceiling: a bare undici loop sending the same signed POSTs to the same receiver.
 *
 * Knobs (env): BENCH_EVENTS (default 3000), BENCH_WEBHOOKS (10), BENCH_RATE (events/s for the
 * latency run, 200), BENCH_LATENCY_SECONDS (10), BENCH_CONCURRENCY (worker slots, 200), BENCH_ROUNDS (2).
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 3000);
const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const EVENT_NAME = 'dynamic-content.content-item.updated';

const CUSTOM_TEMPLATE = `{
  "type": "{{name}}",
  "emittedAt": {{payload.emittedAt}},
  "sequence": {{sequenceId}},
  "item": {
    "id": "{{payload.id}}",
    "label": "{{payload.label}}",
    "version": {{payload.version}},
    "schema": "{{payload.body._meta.schema}}",
    "deliveryKey": {{#if payload.body._meta.deliveryKey}}"{{payload.body._meta.deliveryKey}}"{{else}}null{{/if}},
    "headline": "{{payload.body.headline}}",
    "strapline": "{{payload.body.strapline}}",
    "cta": { "text": "{{payload.body.calltoactiontext}}", "url": "{{payload.body.calltoactionurl}}" },
    "image": "https://{{payload.body.background.defaultHost}}/i/{{payload.body.background.endpoint}}/{{payload.body.background.name}}",
    "status": "{{lowercase payload.publishingStatus}}",
    "published": {{#eq payload.publishingStatus "LATEST"}}true{{else}}false{{/eq}},
    "repository": "{{payload.repositoryLabel}}",
    "modified": "{{payload.lastModifiedDate}}",
    "links": [{{#each payload._links}}"{{@key}}"{{#unless @last}}, {{/unless}}{{/each}}]
  }
}`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function receiverStats(port: number): Promise<{ received: number; latencies: number[] }> {
  const response = await request(`http://127.0.0.1:${port}/stats`);
  return (await response.body.json()) as { received: number; latencies: number[] };
}

async function resetReceiver(port: number): Promise<void> {
  await (await request(`http://127.0.0.1:${port}/reset`, { method: 'POST' })).body.dump();
}

async function waitForReceived(port: number, expected: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { received } = await receiverStats(port);
    if (received >= expected) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`only ${(await receiverStats(port)).received} of ${expected} deliveries arrived in time`);
}

async function main(): Promise<void> {
  const dataDir = path.join(os.tmpdir(), `herald-bench-${process.pid}`);
  let stopDatabase = async () => undefined as unknown;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const embedded = await startEmbeddedPostgres({ dataDir, durable: true });
    adminUrl = embedded.adminUrl;
    stopDatabase = async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const dbName = `herald_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  await ensureDatabase(adminUrl, dbName);
  await migrate(url.toString());
  process.env.DATABASE_URL = url.toString();
  process.env.HERALD_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  process.env.HERALD_ALLOW_PRIVATE_DESTINATIONS = 'loopback';

  const { resetEnvCache } = await import('../lib/config/env');
  resetEnvCache();
  const { ensureDefaultHub } = await import('../lib/hubs/hubs');
  const { createWebhook } = await import('../lib/webhooks/create-webhook');
  const { updateWebhook } = await import('../lib/webhooks/update-webhook');
  const { emitEvent } = await import('../lib/events/emit-event');
  const { closeDatabase } = await import('../lib/db/client');

  const children: ChildProcess[] = [];
  // A crashed run must not leave a worker or receiver behind.
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
  const receiver = fork(path.join(ROOT, 'bench/receiver.ts'), { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  children.push(receiver);
  const port = await new Promise<number>((resolve) =>
    receiver.once('message', (m) => resolve((m as { port: number }).port)),
  );

  const hub = await ensureDefaultHub();
  const webhooks: { id: string }[] = [];
  for (let i = 0; i < WEBHOOKS; i++) {
    webhooks.push(
      await createWebhook(hub.id, {
        label: `bench ${i}`,
        events: [EVENT_NAME],
        handlers: [`http://127.0.0.1:${port}/w/${i}`],
      }),
    );
  }

  const worker = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HERALD_WORKER_CONCURRENCY: String(CONCURRENCY), HERALD_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(worker);
  await new Promise((resolve) => worker.once('message', resolve));

  const payload = (emittedAt: number, index: number) => ({
    ...contentItemUpdated.payload,
    id: `item-${index}`,
    emittedAt,
  });

  /** Emits `count` events with `parallel` emitters as fast as they go; returns deliveries/s end to end. */
  async function throughputRun(label: string, count: number): Promise<number> {
    await resetReceiver(port);
    const expected = count * WEBHOOKS;
    const started = Date.now();
    let next = 0;
    const parallel = 8;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < count) {
          const index = next++;
          await emitEvent(hub.id, { name: EVENT_NAME, payload: payload(Date.now(), index) });
        }
      }),
    );
    const emitted = Date.now();
    const finished = await waitForReceived(port, expected, 300_000);
    const { latencies } = await receiverStats(port);
    latencies.sort((a, b) => a - b);
    const rate = expected / ((finished - started) / 1000);
    console.log(
      `${label}: ${count} events × ${WEBHOOKS} webhooks = ${expected} deliveries in ${((finished - started) / 1000).toFixed(2)} s ` +
        `→ ${rate.toFixed(0)} deliveries/s end to end (emits took ${((emitted - started) / 1000).toFixed(2)} s; ` +
        `latency p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms)`,
    );
    return rate;
  }

  /** Emits at a fixed rate for a while; returns emit-to-receipt latency percentiles. */
  async function latencyRun(): Promise<void> {
    await resetReceiver(port);
    const total = RATE * LATENCY_SECONDS;
    const interval = 1000 / RATE;
    const started = Date.now();
    const inflight: Promise<unknown>[] = [];
    for (let index = 0; index < total; index++) {
      const due = started + index * interval;
      const wait = due - Date.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      inflight.push(emitEvent(hub.id, { name: EVENT_NAME, payload: payload(Date.now(), index) }));
    }
    await Promise.all(inflight);
    await waitForReceived(port, total * WEBHOOKS, 120_000);
    const { latencies } = await receiverStats(port);
    latencies.sort((a, b) => a - b);
    console.log(
      `latency at ${RATE} events/s × ${WEBHOOKS} webhooks (${RATE * WEBHOOKS} deliveries/s) for ${LATENCY_SECONDS} s: ` +
        `p50 ${percentile(latencies, 50)} ms, p90 ${percentile(latencies, 90)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies.at(-1)} ms`,
    );
  }

  /** The ceiling: signed POSTs of the same body from a bare undici loop to the same receiver. */
  async function ceilingRun(count: number): Promise<number> {
    await resetReceiver(port);
    const agent = new Agent({ connections: Math.ceil(CONCURRENCY / 4) });
    const secret = 'x'.repeat(128);
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < count) {
          const index = next++;
          const body = JSON.stringify({ name: EVENT_NAME, payload: payload(Date.now(), index) });
          const id = `msg_${index}`;
          const timestamp = Math.floor(Date.now() / 1000);
          const response = await request(`http://127.0.0.1:${port}/w/${index % WEBHOOKS}`, {
            dispatcher: agent,
            method: 'POST',
            body,
            headers: {
              'content-type': 'application/json',
              'x-amplience-webhook-signature': amplienceSignature(body, secret),
              'webhook-id': id,
              'webhook-timestamp': String(timestamp),
              'webhook-signature': standardWebhookSignature(id, timestamp, body, [secret]),
            },
          });
          await response.body.dump();
        }
      }),
    );
    const rate = count / ((Date.now() - started) / 1000);
    await agent.close();
    console.log(`ceiling: a bare undici loop sends ${rate.toFixed(0)} signed POSTs/s to the same receiver`);
    return rate;
  }

  async function usePayload(template: string | null): Promise<void> {
    const customPayload = template ? { type: 'text/x-handlebars-template' as const, value: template } : null;
    for (const webhook of webhooks) await updateWebhook(hub.id, webhook.id, { customPayload });
  }

  console.log(
    `Herald benchmark — ${os.cpus().length} cores, PostgreSQL durable (fsync on), worker concurrency ${CONCURRENCY}, ` +
      `${WEBHOOKS} webhooks on one receiver process`,
  );
  await throughputRun('warm-up', Math.min(300, EVENTS));
  await latencyRun();
  // Standard and custom runs alternate, so neither gains from going first on a smaller table.
  const standardRates: number[] = [];
  const customRates: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    await usePayload(null);
    standardRates.push(await throughputRun(`round ${round}, standard payload`, EVENTS));
    await usePayload(CUSTOM_TEMPLATE);
    customRates.push(await throughputRun(`round ${round}, custom payload (1 KB template)`, EVENTS));
  }
  const ceiling = await ceilingRun(EVENTS * WEBHOOKS);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const standard = mean(standardRates);
  const custom = mean(customRates);
  const share = (custom / standard) * 100;
  console.log('');
  console.log(
    `standard payload: ${standard.toFixed(0)} deliveries/s (mean of ${ROUNDS}) = ${((standard / ceiling) * 100).toFixed(0)} % of the ceiling`,
  );
  console.log(
    `custom payload:   ${custom.toFixed(0)} deliveries/s (mean of ${ROUNDS}) = ${share.toFixed(0)} % of the standard rate ` +
      `(rendering costs ${(100 - share).toFixed(0)} %; template ${Buffer.byteLength(CUSTOM_TEMPLATE)} bytes)`,
  );

  worker.kill('SIGTERM');
  await new Promise((resolve) => worker.once('exit', resolve));
  receiver.kill();
  await closeDatabase();
  const { dropDatabase } = await import('../tests/support/databases');
  await dropDatabase(adminUrl, dbName);
  await stopDatabase();
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));
