import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { createApiClient } from '../lib/auth/api-clients';
import { closeDatabase } from '../lib/db/client';
import { ensureDatabase, startEmbeddedPostgres } from '../lib/db/embedded';
import { migrate } from '../lib/db/migrate';
import contentItemUpdated from '../lib/events/samples/content-item.updated.json';
import { createHub, ensureDefaultHub } from '../lib/hubs/hubs';
import { handleApiNodeRequest } from '../lib/server/api-server';
import { createWebhook } from '../lib/webhooks/create-webhook';
import { percentile } from './percentile';

/**
 * `npm run bench:filters`: what a hub's filters cost the web server's event loop. The HTTP API
 * runs in this process (as in `npm run web`), and events are POSTed to it while
 * `monitorEventLoopDelay` samples the loop and a client polls `/healthz`:
 *   1. a hub with BENCH_FILTER_WEBHOOKS (1,000) webhooks of 2 filters each, the content-item.updated sample;
 *   2. one webhook with the costliest path Herald accepts on a 1.6 KB event nested 60 levels.
 * Postgres: DATABASE_URL's server if set (a scratch database is created and dropped), else an
 * embedded cluster in a temporary directory.
 *
 * Knobs (env): BENCH_FILTER_WEBHOOKS (1000), BENCH_FILTER_EMITS (emits per run, 20).
 */
const WEBHOOKS = Number(process.env.BENCH_FILTER_WEBHOOKS ?? 1000);
const EMITS = Number(process.env.BENCH_FILTER_EMITS ?? 20);
const EVENT = 'dynamic-content.content-item.updated';

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** A Postgres server to bench against, and how to leave it as it was. */
async function scratchDatabase(): Promise<{ url: string; cleanUp(): Promise<void> }> {
  const name = `herald_bench_filters_${randomBytes(4).toString('hex')}`;
  const existing = process.env.DATABASE_URL;
  let adminUrl: string;
  let stop: () => Promise<void> = async () => undefined;
  if (existing) {
    adminUrl = existing;
  } else {
    const dataDir = path.join(os.tmpdir(), `herald-bench-filters-${process.pid}`);
    const embedded = await startEmbeddedPostgres({ dataDir, durable: false });
    adminUrl = embedded.adminUrl;
    stop = async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  await ensureDatabase(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async cleanUp() {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
      await stop();
    },
  };
}

async function startApi(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => void handleApiNodeRequest(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Creates webhooks a few at a time (each is its own transaction with an audit entry). */
async function createWebhooks(hubId: string, count: number, input: (index: number) => unknown): Promise<void> {
  let next = 0;
  const creator = async () => {
    for (let index = next++; index < count; index = next++) await createWebhook(hubId, input(index));
  };
  await Promise.all(Array.from({ length: 2 }, creator));
}

function deepPayload(levels: number): Record<string, unknown> {
  let node: Record<string, unknown> = { id: 'innermost' };
  for (let level = levels - 1; level > 0; level--) node = { a: node, t: `level-${String(level).padStart(8, '0')}` };
  return node;
}

interface RunFigures {
  emit: { p50: number; p99: number; max: number };
  loopDelay: { p50: number; p99: number; max: number };
  healthzMax: number;
  deliveries: number;
  /** The longest stall of a 1 ms ticker, and the CPU this process used during it (the rest was the machine's). */
  longestStall: { wall: number; ownCpu: number };
}

/**
 * Watches a 1 ms ticker's stalls with the process's CPU time over each: a stall the process spent
 * computing is its own sync work; one where it used little CPU is the machine running others.
 */
function watchStalls(): () => { wall: number; ownCpu: number } {
  let longest = { wall: 0, ownCpu: 0 };
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const ticker = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    if (now - last > longest.wall) longest = { wall: now - last, ownCpu: (cpu.user + cpu.system) / 1000 };
    last = now;
    lastCpu = process.cpuUsage();
  }, 1);
  return () => {
    clearInterval(ticker);
    return longest;
  };
}

/** EMITS sequential emits through the API, with the loop's delay and /healthz watched throughout. */
async function measure(apiUrl: string, token: string, hubId: string, payload: unknown): Promise<RunFigures> {
  const post = () =>
    fetch(`${apiUrl}/v2/content/hubs/${hubId}/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: EVENT, payload }),
    });
  // One emit first: the hub's webhooks are read and their filters compiled once per version.
  await (await post()).arrayBuffer();

  const histogram = monitorEventLoopDelay({ resolution: 5 });
  let running = true;
  let healthzMax = 0;
  const health = (async () => {
    while (running) {
      const started = performance.now();
      await (await fetch(`${apiUrl}/healthz`)).arrayBuffer();
      healthzMax = Math.max(healthzMax, performance.now() - started);
    }
  })();
  histogram.enable();
  const stopWatching = watchStalls();
  const times: number[] = [];
  let deliveries = 0;
  for (let i = 0; i < EMITS; i++) {
    const started = performance.now();
    const response = await post();
    const body = (await response.json()) as { deliveries?: unknown[] };
    if (response.status !== 202) throw new Error(`emit answered ${response.status}: ${JSON.stringify(body)}`);
    times.push(performance.now() - started);
    deliveries += body.deliveries?.length ?? 0;
  }
  histogram.disable();
  const longestStall = stopWatching();
  running = false;
  await health;
  times.sort((a, b) => a - b);
  return {
    emit: { p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: times.at(-1) ?? Number.NaN },
    loopDelay: {
      p50: histogram.percentile(50) / 1e6,
      p99: histogram.percentile(99) / 1e6,
      max: histogram.max / 1e6,
    },
    healthzMax,
    deliveries,
    longestStall,
  };
}

/**
 * The loop's delay with nothing but /healthz polls, for as long as a run took: on a machine shared
 * with other work, the part of the figures the emits are not responsible for.
 */
async function idleBaseline(apiUrl: string, durationMs: number): Promise<RunFigures['loopDelay']> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const until = performance.now() + durationMs;
  while (performance.now() < until) await (await fetch(`${apiUrl}/healthz`)).arrayBuffer();
  histogram.disable();
  return { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
}

function print(label: string, figures: RunFigures): void {
  console.log(`\n${label}`);
  console.log(
    `  emit → 202       p50 ${ms(figures.emit.p50)}  p99 ${ms(figures.emit.p99)}  max ${ms(figures.emit.max)}`,
  );
  console.log(
    `  event-loop delay p50 ${ms(figures.loopDelay.p50)}  p99 ${ms(figures.loopDelay.p99)}  max ${ms(figures.loopDelay.max)}`,
  );
  console.log(`  /healthz longest wait ${ms(figures.healthzMax)};  ${figures.deliveries} deliveries in ${EMITS} emits`);
  console.log(
    `  longest stall ${ms(figures.longestStall.wall)}, of which this process's CPU ${ms(figures.longestStall.ownCpu)} (all its threads)`,
  );
}

async function main(): Promise<void> {
  const database = await scratchDatabase();
  try {
    await migrate(database.url);
    process.env.DATABASE_URL = database.url;
    process.env.HERALD_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');
    process.env.HERALD_LOG_LEVEL ??= 'warn';
    const api = await startApi();
    try {
      const hub = await ensureDefaultHub();
      const client = await createApiClient('bench filters');
      const tokenResponse = await fetch(`${api.url}/oauth/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.id,
          client_secret: client.secret,
        }),
      });
      const token = ((await tokenResponse.json()) as { access_token: string }).access_token;

      const schema = (contentItemUpdated.payload.body as { _meta: { schema: string } })._meta.schema;
      console.log(`creating ${WEBHOOKS} webhooks with 2 filters each…`);
      await createWebhooks(hub.id, WEBHOOKS, (index) => ({
        label: `bench ${index}`,
        events: [EVENT],
        handlers: ['http://127.0.0.1:9/not-sent'],
        filters: [
          // Half match, half are held back: both outcomes cost their report.
          { type: 'equal', arguments: [{ jsonPath: '$.payload.body._meta.schema' }, { value: schema }] },
          {
            type: 'in',
            arguments: [
              { jsonPath: '$.payload.status' },
              { value: index % 2 === 0 ? ['ACTIVE', 'ARCHIVED'] : ['DELETED'] },
            ],
          },
        ],
      }));
      const startedAt = performance.now();
      const many = await measure(api.url, token, hub.id, contentItemUpdated.payload);
      const baseline = await idleBaseline(api.url, performance.now() - startedAt);
      print(`${WEBHOOKS} webhooks × 2 filters, content-item.updated sample`, many);
      console.log(
        `  (idle baseline, /healthz polls only: loop delay p50 ${ms(baseline.p50)}  p99 ${ms(baseline.p99)}  max ${ms(baseline.max)})`,
      );

      // A hub of its own, so its emits run this one filter only.
      const other = await createHub(`costly-${randomBytes(3).toString('hex')}`, 'costly filter');
      const repeated = `[${Array.from({ length: 30 }, () => "'a'").join(',')}]`;
      const costliest = `$..*${repeated}${repeated}${repeated}`;
      await createWebhook(other.id, {
        label: 'costliest allowed filter',
        events: [EVENT],
        handlers: ['http://127.0.0.1:9/not-sent'],
        filters: [{ type: 'equal', arguments: [{ jsonPath: costliest }, { value: 'x' }] }],
      });
      const deep = deepPayload(60);
      print(
        `1 webhook, the costliest allowed path ($..* then 3 unions of 30 names), ${JSON.stringify(deep).length} B event nested 60 levels`,
        await measure(api.url, token, other.id, deep),
      );
    } finally {
      await api.close();
      await closeDatabase();
    }
  } finally {
    await database.cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
