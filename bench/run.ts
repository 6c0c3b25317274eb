import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { ensureDatabase, startEmbeddedPostgres } from '../lib/db/embedded';
import { ceilingRun } from './ceiling';
import { CUSTOM_TEMPLATE } from './custom-template';
import { describeDisk, probeDisk } from './disk-probe';
import { accessToken, type RunningHerald, startHerald } from './herald-process';
import { closedLoop, EVENT_NAME, eventBody, type IngestTarget, type LoadResult, openLoop } from './load';
import { percentile } from './percentile';
import { type BenchRuns, fmt, type RunFigures, summaryLines } from './run-summary';
import { compareTracing, TRACING_OFF, type TracingComparison } from './tracing-cost';

/**
 * `npm run bench`: Herald end to end through its HTTP API, the way production runs it. A durable
 * PostgreSQL (fsync on), Herald started as `npm start` starts it (the web server and a delivery
 * worker process), a receiver process on 127.0.0.1, and producers POSTing the content-item.updated
 * sample to `POST /v2/content/hubs/{id}/events` (without and with an Idempotency-Key on every
 * request) and to `events:batch`. Every delivery is counted
 * at the receiver: figures are emit → 2xx at the receiver, and a run that loses one says so.
 *
 * Knobs (env): BENCH_EVENTS (events per HTTP run, 6000), BENCH_WEBHOOKS (4), BENCH_PRODUCERS (16),
 * BENCH_BATCH (events per batch request, 100), BENCH_ROUNDS (2), BENCH_LATENCY_SECONDS (15),
 * BENCH_RATES (open-loop events/s, "200,500"), BENCH_TRACING (`on`: also single events with OpenTelemetry
 * tracing off and on, bench/tracing-cost.ts; `off`: not; `only`: that comparison alone).
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 6000);
const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 4);
const PRODUCERS = Number(process.env.BENCH_PRODUCERS ?? 16);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 15);
const RATES = (process.env.BENCH_RATES ?? '200,500').split(',').map(Number);
const DISK_PROBE_SECONDS = 10;
const TRACING = process.env.BENCH_TRACING ?? 'on';

interface Counts {
  received: number;
  distinct: number;
  lastAt: number;
}

const children: ChildProcess[] = [];
/** Run in reverse order at the end, or when the run fails: Herald, then the database. */
const cleanups: (() => Promise<unknown>)[] = [];

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  for (const child of children) child.kill();
}

async function main(): Promise<void> {
  // A crashed run must not leave a receiver behind.
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });

  const dataDir = path.join(os.tmpdir(), `herald-bench-${process.pid}`);
  const embedded = await startEmbeddedPostgres({ dataDir, durable: true });
  // The disk PostgreSQL commits to, measured while nothing else runs: its slowest flushes bound
  // every latency percentile below.
  const disk = describeDisk(probeDisk(dataDir, DISK_PROBE_SECONDS), DISK_PROBE_SECONDS);
  cleanups.push(async () => {
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const dbName = `herald_bench_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(embedded.adminUrl, dbName);
  const databaseUrl = new URL(embedded.adminUrl);
  databaseUrl.pathname = `/${dbName}`;

  const receiver = fork(path.join(ROOT, 'bench/receiver.ts'), { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  children.push(receiver);
  const receiverPort = await new Promise<number>((resolve) =>
    receiver.once('message', (message) => resolve((message as { port: number }).port)),
  );
  const receiverUrl = `http://127.0.0.1:${receiverPort}`;

  const client = { id: 'herald-bench', secret: randomBytes(24).toString('hex') };
  const sharedEnv = {
    DATABASE_URL: databaseUrl.toString(),
    HERALD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    HERALD_ALLOW_PRIVATE_DESTINATIONS: 'loopback',
  };
  Object.assign(process.env, sharedEnv);
  const heraldEnv = {
    ...sharedEnv,
    ...TRACING_OFF,
    HERALD_BOOTSTRAP_CLIENT_ID: client.id,
    HERALD_BOOTSTRAP_CLIENT_SECRET: client.secret,
    // Another Herald on this machine may hold the default metrics port; nothing reads it here.
    HERALD_WORKER_METRICS_PORT: '0',
  };
  let herald: RunningHerald = await startHerald(heraldEnv);
  cleanups.push(() => herald.stop());

  const token = await accessToken(herald.url, client);
  const api = async (method: 'GET' | 'POST' | 'PATCH', apiPath: string, body?: unknown) => {
    const response = await request(`${herald.url}/v2/content${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.body.json()) as Record<string, unknown>;
  };
  const hubs = (await api('GET', '/hubs')) as { _embedded: { hubs: { id: string }[] } };
  const hubId = hubs._embedded.hubs[0]?.id;
  if (!hubId) throw new Error('no hub');
  const webhookIds: string[] = [];
  for (let index = 0; index < WEBHOOKS; index++) {
    const created = await api('POST', `/hubs/${hubId}/webhooks`, {
      label: `bench ${index}`,
      events: [EVENT_NAME],
      handlers: [`${receiverUrl}/w/${index}`],
    });
    webhookIds.push(String(created.id));
  }
  const useTemplate = async (template: string | null) => {
    const customPayload = template ? { type: 'text/x-handlebars-template', value: template } : null;
    for (const id of webhookIds) await api('PATCH', `/hubs/${hubId}/webhooks/${id}`, { customPayload });
  };
  const useDelivery = async (delivery: { mode: 'every' | 'latest' }) => {
    for (const id of webhookIds) await api('PATCH', `/hubs/${hubId}/webhooks/${id}`, { delivery });
  };
  const target: IngestTarget = { url: herald.url, token, hubId };

  const counts = async (): Promise<Counts> => (await request(`${receiverUrl}/count`)).body.json() as Promise<Counts>;
  const reset = async () => void (await (await request(`${receiverUrl}/reset`, { method: 'POST' })).body.dump());

  /** Waits until `expected` distinct deliveries arrived, or nothing arrived for 15 s. */
  async function settle(expected: number): Promise<Counts> {
    let last = await counts();
    let progressAt = Date.now();
    while (last.distinct < expected && Date.now() - progressAt < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const now = await counts();
      if (now.received !== last.received) progressAt = Date.now();
      last = now;
    }
    return last;
  }

  let nextIndex = 0;
  async function measured(label: string, load: () => Promise<LoadResult>): Promise<RunFigures> {
    await reset();
    const result = await load();
    nextIndex += result.events;
    const expected = (result.events - result.refused) * WEBHOOKS;
    const settled = await settle(expected);
    const stats = (await (await request(`${receiverUrl}/stats`)).body.json()) as { latencies: number[] };
    const latencies = stats.latencies.sort((a, b) => a - b);
    const accepts = [...result.acceptLatencies].sort((a, b) => a - b);
    const figures: RunFigures = {
      label,
      deliveriesPerSecond: settled.distinct / ((settled.lastAt - result.startedAt) / 1000),
      eventsPerSecond: result.events / ((result.acceptedAt - result.startedAt) / 1000),
      missing: expected - settled.distinct,
      duplicates: settled.received - settled.distinct,
      refused: result.refused,
      latency: {
        p50: percentile(latencies, 0.5),
        p90: percentile(latencies, 0.9),
        p99: percentile(latencies, 0.99),
        max: latencies.at(-1) ?? Number.NaN,
      },
      accepted: { p50: percentile(accepts, 0.5), p99: percentile(accepts, 0.99) },
    };
    console.log(
      `${label}: ${fmt(result.events)} events × ${WEBHOOKS} webhooks → ${fmt(figures.deliveriesPerSecond)} deliveries/s end to end ` +
        `(ingest ${fmt(figures.eventsPerSecond)} events/s); emit → receipt p50 ${figures.latency.p50} ms, ` +
        `p90 ${figures.latency.p90} ms, p99 ${figures.latency.p99} ms, max ${figures.latency.max} ms; ` +
        `missing ${figures.missing}, duplicates ${figures.duplicates}, refused ${figures.refused}`,
    );
    return figures;
  }

  // Other work on the machine shows in every figure: the run says how busy it was.
  const loadAtStart = os.loadavg()[0]?.toFixed(1);
  console.log(
    `Herald benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ` +
      `PostgreSQL durable (fsync on); Herald as npm start runs it (web server + worker); ${WEBHOOKS} webhooks per event ` +
      `on one receiver process; ${PRODUCERS} producers`,
  );
  console.log(disk);
  await measured('warm-up', () => closedLoop(target, 1000, PRODUCERS, 1, nextIndex));

  async function standardRuns(): Promise<BenchRuns> {
    await reset();
    const ceiling = await ceilingRun(receiverUrl, EVENTS * WEBHOOKS, WEBHOOKS);
    console.log(`ceiling: a bare undici loop sends ${fmt(ceiling)} signed POSTs/s to the same receiver`);
    const single: RunFigures[] = [];
    const latest: RunFigures[] = [];
    const keyed: RunFigures[] = [];
    const batch: RunFigures[] = [];
    const inProcess: RunFigures[] = [];
    const { emitEvent } = await import('../lib/events/emit-event');
    for (let round = 1; round <= ROUNDS; round++) {
      single.push(
        await measured(`round ${round}, HTTP single`, () => closedLoop(target, EVENTS, PRODUCERS, 1, nextIndex)),
      );
      // Latest mode, same load: each event is another item, so nothing is superseded (the mode's own cost).
      await useDelivery({ mode: 'latest' });
      latest.push(
        await measured(`round ${round}, HTTP single, latest mode`, () =>
          closedLoop(target, EVENTS, PRODUCERS, 1, nextIndex),
        ),
      );
      await useDelivery({ mode: 'every' });
      // The same load with an Idempotency-Key on every request: the key's lookup and its insert in the emit.
      keyed.push(
        await measured(`round ${round}, HTTP single with Idempotency-Key`, () =>
          closedLoop(target, EVENTS, PRODUCERS, 1, nextIndex, { idempotencyKeys: true }),
        ),
      );
      batch.push(
        await measured(`round ${round}, HTTP batch of ${BATCH}`, () =>
          closedLoop(target, EVENTS * 2, Math.max(1, PRODUCERS / 4), BATCH, nextIndex),
        ),
      );
      inProcess.push(
        await measured(`round ${round}, in-process emitEvent`, async () => {
          const first = nextIndex;
          let next = 0;
          const startedAt = Date.now();
          await Promise.all(
            Array.from({ length: PRODUCERS }, async () => {
              while (next < EVENTS) {
                const index = next++;
                await emitEvent(target.hubId, eventBody(first + index, Date.now()));
              }
            }),
          );
          return { events: EVENTS, startedAt, acceptedAt: Date.now(), refused: 0, acceptLatencies: [] };
        }),
      );
    }
    await useTemplate(CUSTOM_TEMPLATE);
    const custom = await measured('HTTP single, custom payload (1 KB template)', () =>
      closedLoop(target, EVENTS, PRODUCERS, 1, nextIndex),
    );
    await useTemplate(null);
    const latency: RunFigures[] = [];
    for (const rate of RATES) {
      latency.push(
        await measured(`open loop ${rate} events/s for ${LATENCY_SECONDS} s`, () =>
          openLoop(target, rate, LATENCY_SECONDS, nextIndex),
        ),
      );
    }
    all.push(...single, ...latest, ...keyed, ...batch, ...inProcess, custom, ...latency);
    return { ceiling, single, latest, keyed, batch, batchSize: BATCH, inProcess, custom, latency };
  }

  const all: RunFigures[] = [];
  const runs = TRACING === 'only' ? null : await standardRuns();
  let tracing: TracingComparison | null = null;
  if (TRACING !== 'off') {
    tracing = await compareTracing({
      rounds: ROUNDS,
      deliveriesPerRun: EVENTS * WEBHOOKS,
      pid: () => herald.pid,
      restart: async (env) => {
        await herald.stop();
        herald = await startHerald({ ...heraldEnv, ...env });
        Object.assign(target, { url: herald.url, token: await accessToken(herald.url, client) });
      },
      warmUp: () => measured('warm-up', () => closedLoop(target, 1000, PRODUCERS, 1, nextIndex)),
      run: async (label) => {
        const figures = await measured(label, () =>
          closedLoop(target, EVENTS, PRODUCERS, 1, nextIndex, { traceparents: true }),
        );
        all.push(figures);
        return figures;
      },
    });
  }

  for (const line of summaryLines(runs, tracing, WEBHOOKS)) console.log(line);
  const missing = all.reduce((sum, run) => sum + run.missing, 0);
  const refused = all.reduce((sum, run) => sum + run.refused, 0);
  console.log(`  missing deliveries: ${missing}; refused emits: ${refused}`);
  console.log(`  load average (1 min) at the start ${loadAtStart}, at the end ${os.loadavg()[0]?.toFixed(1)}`);
  console.log(`  ${disk}`);

  const { closeDatabase } = await import('../lib/db/client');
  await closeDatabase();
  await cleanUp();
  if (missing > 0 || refused > 0) process.exitCode = 1;
}

main().catch(async (error: Error) => {
  console.error(error.stack ?? error.message);
  await cleanUp();
  process.exit(1);
});
process.on('SIGINT', () => void cleanUp().then(() => process.exit(130)));
