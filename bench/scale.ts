import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { DAY_MS } from '../lib/activity-log/partitions';
import { pruneActivityLog } from '../lib/activity-log/retention';
import { closeDatabase, database } from '../lib/db/client';
import { ensureDatabase, startEmbeddedPostgres } from '../lib/db/embedded';
import { migrate } from '../lib/db/migrate';
import { emitEvent } from '../lib/events/emit-event';
import { ensureDefaultHub } from '../lib/hubs/hubs';
import { createWebhook } from '../lib/webhooks/create-webhook';
import { percentile } from './percentile';
import { explainClaim, measureReads } from './scale-reads';
import { seed } from './scale-seed';

/**
 * `npm run bench:scale`: the activity log at scale. Seeds SCALE_DELIVERIES (20 M) deliveries over
 * SCALE_DAYS (30) daily partitions with COPY, times the log's reads, shows the outbox claim's plan
 * across all those partitions, then runs retention (dropping the oldest day; the next one holds a
 * RETRYING delivery and is kept) while a worker delivers SCALE_RATE (50) events/s × SCALE_WEBHOOKS
 * (4) to a receiver, and compares emit → receipt latency during retention with the baseline before.
 * PostgreSQL: a fresh database on DATABASE_URL's server, or an embedded durable cluster (the
 * default); either is removed at the end.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const DELIVERIES = Number(process.env.SCALE_DELIVERIES ?? 20_000_000);
const DAYS = Number(process.env.SCALE_DAYS ?? 30);
const WEBHOOKS = Number(process.env.SCALE_WEBHOOKS ?? 4);
const RATE = Number(process.env.SCALE_RATE ?? 50);
const BASELINE_SECONDS = Number(process.env.SCALE_BASELINE_SECONDS ?? 10);
const EVENT = 'dynamic-content.content-item.updated';
// Heap and indexes of a seeded delivery with its share of events and attempts, measured; with margin.
const BYTES_PER_DELIVERY = 700;

const cleanups: (() => Promise<unknown>)[] = [];
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

async function openDatabase(): Promise<string> {
  const name = `herald_scale_${randomBytes(4).toString('hex')}`;
  let adminUrl = process.env.DATABASE_URL;
  let where = `a new database on ${adminUrl ? new URL(adminUrl).host : ''}`;
  if (!adminUrl) {
    const dataDir = path.join(os.tmpdir(), `herald-scale-${process.pid}`);
    const free = await statfs(os.tmpdir());
    const needed = DELIVERIES * BYTES_PER_DELIVERY;
    if (free.bavail * free.bsize < needed * 1.5) {
      throw new Error(
        `${os.tmpdir()} has ${(free.bavail * free.bsize) / 1e9} GB free; seeding needs about ${needed / 1e9} GB`,
      );
    }
    const embedded = await startEmbeddedPostgres({ dataDir, durable: true });
    cleanups.push(
      () => rm(dataDir, { recursive: true, force: true }),
      () => embedded.stop(),
    );
    adminUrl = embedded.adminUrl;
    where = `embedded PostgreSQL in ${dataDir} (fsync on)`;
  }
  await ensureDatabase(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (process.env.DATABASE_URL) {
    const admin = adminUrl;
    cleanups.push(async () => {
      const { dropDatabase } = await import('../tests/support/databases');
      await dropDatabase(admin, name);
    });
  }
  console.log(`PostgreSQL: ${where}`);
  return url.toString();
}

async function startChild(script: string, env: Record<string, string>): Promise<unknown> {
  const child = fork(path.join(ROOT, script), { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env } });
  children.push(child);
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  return new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
  });
}

async function main(): Promise<void> {
  console.log(
    `Herald bench:scale — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ` +
      `load average ${os.loadavg()[0]?.toFixed(1)} (other work on the machine slows every figure)`,
  );
  const url = await openDatabase();
  Object.assign(process.env, {
    DATABASE_URL: url,
    HERALD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    HERALD_ALLOW_PRIVATE_DESTINATIONS: 'loopback',
    HERALD_LOG_LEVEL: 'warn',
  });
  await migrate(url);
  cleanups.push(() => closeDatabase());
  const pool = database().pool;
  const { port } = (await startChild('bench/scale-receiver.ts', {})) as { port: number };
  const receiverUrl = `http://127.0.0.1:${port}`;
  const hub = await ensureDefaultHub();
  const webhookIds: string[] = [];
  for (let index = 0; index < WEBHOOKS; index++) {
    const webhook = await createWebhook(hub.id, {
      label: `scale ${index}`,
      events: [EVENT],
      handlers: [`${receiverUrl}/w/${index}`],
    });
    webhookIds.push(webhook.id);
  }

  const eventsPerDay = Math.ceil(DELIVERIES / DAYS / WEBHOOKS);
  console.log(`seeding ${DAYS} days × ${eventsPerDay.toLocaleString('en-US')} events × ${WEBHOOKS} webhooks (COPY):`);
  const seedStart = Date.now();
  const daysAgo = Array.from({ length: DAYS }, (_, index) => DAYS - index);
  const seeded = await seed(
    { pool, hubId: hub.id, webhookIds, daysAgo, eventsPerDay, firstSequenceId: 1, url: receiverUrl },
    (line) => console.log(line),
  );
  await pool.query('UPDATE hubs SET last_sequence_id = $2 WHERE id = $1', [hub.id, DAYS * eventsPerDay]);
  const { rows: size } = await pool.query<{ size: string }>(
    'SELECT pg_size_pretty(pg_database_size(current_database())) AS size',
  );
  console.log(
    `seeded ${seeded.toLocaleString('en-US')} deliveries in ${DAYS} daily partitions in ${Math.round((Date.now() - seedStart) / 1000)} s (database ${size[0]?.size})`,
  );

  // The second-oldest day keeps one delivery RETRYING (due tomorrow): retention must keep that day.
  await pool.query(
    `UPDATE deliveries SET status = 'RETRYING', next_attempt_at = now() + interval '1 day'
      WHERE id = (SELECT id FROM deliveries WHERE id >= herald_day_bound((now() AT TIME ZONE 'UTC')::date - $1::int)
                   ORDER BY id LIMIT 1)`,
    [DAYS - 1],
  );

  console.log(`\nreads (median / max of 15 runs, after one warm-up; load average ${os.loadavg()[0]?.toFixed(1)}):`);
  for (const figure of await measureReads(pool, hub.id, webhookIds[0] as string)) {
    const verdict = figure.maxMs <= 50 ? 'ok' : 'OVER 50 ms';
    console.log(
      `  ${figure.label.padEnd(36)} ${ms(figure.medianMs).padStart(8)} / ${ms(figure.maxMs).padStart(8)}  ${verdict}`,
    );
  }
  console.log(`\noutbox claim across ${DAYS + 3} partitions (EXPLAIN ANALYZE, queue empty):`);
  const plan = await explainClaim(pool);
  for (const line of plan.filter((text) => /Planning|Execution|Merge Append|Limit|Index Scan/.test(text)).slice(0, 6)) {
    console.log(`  ${line.trim()}`);
  }
  console.log(`  … ${plan.filter((text) => text.includes('Index Scan')).length} index scans, one per partition`);

  await runRetentionUnderLoad(hub.id, receiverUrl);
}

async function runRetentionUnderLoad(hubId: string, receiverUrl: string): Promise<void> {
  await startChild('worker/main.ts', { HERALD_RETENTION: '3650d', HERALD_WORKER_METRICS_PORT: '0' });
  console.log(
    `\nworker running; emitting ${RATE} events/s × ${WEBHOOKS} webhooks (load average ${os.loadavg()[0]?.toFixed(1)})`,
  );
  let emitting = true;
  let emitted = 0;
  let failed = 0;
  const emitter = (async () => {
    const startedAt = performance.now();
    const inFlight = new Set<Promise<unknown>>();
    while (emitting) {
      const due = startedAt + (emitted * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const sent = emitEvent(hubId, { name: EVENT, payload: { id: `live-${emitted}`, emittedAt: Date.now() } })
        .catch(() => failed++)
        .finally(() => inFlight.delete(sent));
      inFlight.add(sent);
      emitted++;
    }
    await Promise.all(inFlight);
  })();
  const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  await sleep(3);
  const baselineFrom = Date.now();
  await sleep(BASELINE_SECONDS);
  const live = await explainClaim(database().pool);
  const timing = live
    .filter((text) => /Planning Time|Execution Time/.test(text))
    .map((text) => text.trim().toLowerCase());
  console.log(`outbox claim under live delivery (EXPLAIN ANALYZE): ${timing.join(', ')}`);
  const retentionFrom = Date.now();
  const started = performance.now();
  const report = await pruneActivityLog(database().pool, (DAYS - 2) * DAY_MS);
  const took = performance.now() - started;
  const retentionTo = Date.now();
  await sleep(5);
  emitting = false;
  await emitter;
  const expected = (emitted - failed) * WEBHOOKS;
  let samples: [number, number][] = [];
  for (let idle = 0; samples.length < expected && idle < 100; idle++) {
    const batch = (await (await request(`${receiverUrl}/samples`)).body.json()) as [number, number][];
    samples = samples.concat(batch);
    if (batch.length === 0) await sleep(0.1);
  }

  console.log(
    `retention: ${ms(took)} — dropped ${report?.dropped.join(', ') || 'nothing'}; ` +
      `kept ${report?.kept.map((kept) => `${kept.partition} (${kept.pending} pending)`).join(', ') || 'nothing'}` +
      `${report?.postponed.length ? `; postponed ${report.postponed.join(', ')}` : ''}  ${took <= 1000 ? 'ok' : 'OVER 1 s'}`,
  );
  const window = (from: number, to: number) =>
    samples
      .filter(([emittedAt]) => emittedAt >= from && emittedAt < to)
      .map(([, latency]) => latency)
      .sort((a, b) => a - b);
  const baseline = window(baselineFrom, retentionFrom);
  const during = window(retentionFrom, retentionTo + 1000);
  const line = (label: string, values: number[]) =>
    `  ${label.padEnd(34)} ${String(values.length).padStart(6)} deliveries  p50 ${ms(percentile(values, 0.5))}, p99 ${ms(percentile(values, 0.99))}, max ${ms(values.at(-1) ?? Number.NaN)}`;
  console.log('emit → receipt latency:');
  console.log(line(`baseline (${BASELINE_SECONDS} s before)`, baseline));
  console.log(line('during retention (+1 s after)', during));
  const limit = 2 * percentile(baseline, 0.99);
  const worst = during.at(-1) ?? 0;
  console.log(
    `  spike: worst during retention ${ms(worst)} vs 2 × baseline p99 = ${ms(limit)}  ${worst <= limit ? 'ok' : 'OVER'}; ` +
      `missing ${expected - samples.length}, emit errors ${failed}`,
  );
}

main()
  .catch((error: Error) => {
    console.error(`bench:scale failed: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    process.exit();
  });
