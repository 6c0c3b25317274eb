import { type ChildProcess, execFile, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { request } from 'undici';
import { uuid7 } from '../lib/crypto/uuid7';
import { ensureDatabase, startEmbeddedPostgres } from '../lib/db/embedded';
import { armWebhooks } from '../lib/outbox/arm';
import { startBadEndpoint } from './bad-endpoints';
import { startHerald } from './herald-process';
import { type HealthFigures, probeHealth, type RssFigures, sampleWorkerRss } from './isolation-probes';
import { EVENT_NAME, eventBody, openLoop } from './load';
import { percentile } from './percentile';

/**
 * `npm run bench:isolation`: issue 15's first probe, as a user meets it. Herald started as
 * `npm start` starts it (web server + one delivery worker, default settings: 200 slots, 10 s
 * delivery timeout) on a durable embedded PostgreSQL; bad neighbours in one hub, then a healthy
 * webhook in another hub receiving 100 events/s for 5 s through `POST …/events`, one request per
 * event, open loop. Each scenario gets a fresh database and a fresh Herald, so none inherits
 * another's retries. Meanwhile `/healthz` is asked every 100 ms and the worker's RSS is sampled.
 * Every endpoint is on 127.0.0.1; the data directory is removed at the end.
 *
 *   1. 3 endpoints that read the request and never answer, and one answering 500; 300 events each
 *   2. the same with 10 hanging endpoints
 *   3. a webhook holding 100,000 due retries (seeded with SQL) whose endpoint answers at once
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const RATE = 100;
const SECONDS = 5;
const HEALTHY_EVENTS = RATE * SECONDS;
const BAD_EVENTS = 300;
const FLOOD = 100_000;
/** How long after the last 202 the healthy webhook's deliveries may still arrive (> the 10 s delivery timeout). */
const SETTLE_MS = 15_000;
const TARGET_P99_MS = 250;
const TARGET_HEALTHZ_MS = 500;

const execFileAsync = promisify(execFile);
const children: ChildProcess[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  for (const child of children) child.kill();
}

interface ReceiverStats {
  received: number;
  distinct: number;
  lastAt: number;
  latencies: number[];
}

/** A bench/receiver.ts process (answers 204 at once, measures emit → receipt from `emittedAt`). */
async function forkReceiver() {
  const child = fork(path.join(ROOT, 'bench/receiver.ts'), { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  children.push(child);
  const port = await new Promise<number>((resolve) =>
    child.once('message', (message) => resolve((message as { port: number }).port)),
  );
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stats: async () => (await (await request(`${url}/stats`)).body.json()) as ReceiverStats,
    count: async () => (await (await request(`${url}/count`)).body.json()) as Omit<ReceiverStats, 'latencies'>,
    reset: async () => void (await (await request(`${url}/reset`, { method: 'POST' })).body.dump()),
  };
}
type ForkedReceiver = Awaited<ReturnType<typeof forkReceiver>>;

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One scenario's Herald, on a database of its own, with the benchmark's API client signed in. */
async function heraldFor(embeddedAdminUrl: string, label: string) {
  const dbName = `herald_isolation_${label}_${randomBytes(3).toString('hex')}`;
  await ensureDatabase(embeddedAdminUrl, dbName);
  const databaseUrl = new URL(embeddedAdminUrl);
  databaseUrl.pathname = `/${dbName}`;
  const client = { id: 'herald-isolation-bench', secret: randomBytes(24).toString('hex') };
  const env = {
    DATABASE_URL: databaseUrl.toString(),
    HERALD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    HERALD_ALLOW_PRIVATE_DESTINATIONS: 'loopback',
  };
  const herald = await startHerald({
    ...env,
    HERALD_BOOTSTRAP_CLIENT_ID: client.id,
    HERALD_BOOTSTRAP_CLIENT_SECRET: client.secret,
    HERALD_WORKER_METRICS_PORT: '0',
  });
  const tokenResponse = await request(`${herald.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: client.secret,
    }).toString(),
  });
  const { access_token: token } = (await tokenResponse.body.json()) as { access_token: string };
  const api = async (method: 'GET' | 'POST', apiPath: string, body?: unknown) => {
    const response = await request(`${herald.url}/v2/content${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await response.body.json()) as Record<string, unknown>;
    if (response.statusCode >= 300)
      throw new Error(`${method} ${apiPath}: ${response.statusCode} ${JSON.stringify(answer)}`);
    return answer;
  };
  /** A hub made the way an operator makes one: `npm run herald -- hub create`. */
  const createHub = async (name: string): Promise<string> => {
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--import', 'tsx', 'scripts/cli.ts', 'hub', 'create', '--name', name],
      { cwd: ROOT, env: { ...process.env, ...env } },
    );
    return stdout.trim();
  };
  const createWebhook = async (hubId: string, label: string, handler: string): Promise<string> =>
    String((await api('POST', `/hubs/${hubId}/webhooks`, { label, events: [EVENT_NAME], handlers: [handler] })).id);
  return { herald, token, databaseUrl: databaseUrl.toString(), api, createHub, createWebhook };
}
type ScenarioHerald = Awaited<ReturnType<typeof heraldFor>>;

interface ScenarioFigures {
  label: string;
  delivered: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  acceptedP99: number;
  refused: number;
  health: HealthFigures;
  rss: RssFigures;
  notes: string[];
}

/** The bad neighbours of a scenario, set up and under way; returns what to say about them afterwards. */
type BadNeighbours = (herald: ScenarioHerald, badHubId: string) => Promise<BadRun>;

const noNeighbours: BadNeighbours = async () => ({
  describe: async () => [],
  close: async () => undefined,
});
interface BadRun {
  /** Called as the healthy traffic starts and when its window ends. */
  mark?(phase: 'start' | 'end'): Promise<void>;
  describe(): Promise<string[]>;
  close(): Promise<void>;
}

async function runScenario(
  adminUrl: string,
  healthy: ForkedReceiver,
  index: number,
  label: string,
  bad: BadNeighbours,
): Promise<ScenarioFigures> {
  console.log(`\nscenario ${index}: ${label} (load average ${loadAverage()})`);
  const scenario = await heraldFor(adminUrl, `s${index}`);
  const { herald } = scenario;
  let badRun: BadRun | undefined;
  const stopHerald = async () => {
    // The hanging requests end when their endpoints close, so the worker stops at once.
    await badRun?.close();
    await herald.stop();
  };
  cleanups.push(stopHerald);
  try {
    const hubs = (await scenario.api('GET', '/hubs')) as { _embedded: { hubs: { id: string }[] } };
    const badHubId = hubs._embedded.hubs[0]?.id;
    if (!badHubId) throw new Error('no hub after start');
    const goodHubId = await scenario.createHub(`healthy-${index}`);
    await healthy.reset();
    await scenario.createWebhook(goodHubId, 'Healthy', `${healthy.url}/healthy`);

    const rss = sampleWorkerRss(herald.pid);
    const health = probeHealth(herald.url);
    badRun = await bad(scenario, badHubId);

    await badRun.mark?.('start');
    const load = await openLoop({ url: herald.url, token: scenario.token, hubId: goodHubId }, RATE, SECONDS);
    await badRun.mark?.('end');
    const expected = load.events - load.refused;
    // Far behind as the load ends: where things stand now, before the bad neighbours' timeouts free anything.
    const behind = (await healthy.count()).distinct < expected * 0.8 ? await starvation(scenario.databaseUrl) : [];
    const settleUntil = Date.now() + SETTLE_MS;
    while ((await healthy.count()).distinct < expected && Date.now() < settleUntil) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const stats = await healthy.stats();
    const latencies = stats.latencies.sort((a, b) => a - b);
    const accepts = [...load.acceptLatencies].sort((a, b) => a - b);
    const figures: ScenarioFigures = {
      label,
      delivered: stats.distinct,
      latency: {
        p50: percentile(latencies, 0.5),
        p90: percentile(latencies, 0.9),
        p99: percentile(latencies, 0.99),
        max: latencies.at(-1) ?? Number.NaN,
      },
      acceptedP99: percentile(accepts, 0.99),
      refused: load.refused,
      health: await health.stop(),
      rss: rss.stop(),
      notes: await badRun.describe(),
    };
    if (behind.length > 0) figures.notes.push('as the healthy load ended:', ...behind);
    if (figures.delivered < HEALTHY_EVENTS)
      figures.notes.push('at the end:', ...(await starvation(scenario.databaseUrl)));
    report(figures);
    return figures;
  } finally {
    cleanups.splice(cleanups.indexOf(stopHerald), 1);
    await stopHerald();
  }
}

/** When the healthy webhook fell short: where its deliveries stand, and what the claim queue says. */
async function starvation(databaseUrl: string): Promise<string[]> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query<{ label: string; status: string; leased: string; n: string }>(
      `SELECT w.label, d.status, (d.lease_until > now())::text AS leased, count(*)::text AS n
         FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    const queues = await pool.query<{ label: string; due: string | null; served: string | null }>(
      `SELECT w.label, (q.due_at - now())::text AS due, (now() - q.served_at)::text AS served
         FROM webhook_queues q JOIN webhooks w ON w.id = q.webhook_id ORDER BY 1`,
    );
    return [
      'deliveries by webhook, status, lease held now:',
      ...rows.map((row) => `  ${row.label}: ${row.status}${row.leased === 'true' ? ' (leased)' : ''} ${row.n}`),
      'webhook_queues (due in, served ago):',
      ...queues.rows.map((row) => `  ${row.label}: due in ${row.due ?? 'never'}, served ${row.served ?? 'never'} ago`),
    ];
  } finally {
    await pool.end();
  }
}

/** Bad hub: `hanging` endpoints that never answer and one answering 500, 300 events each via events:batch. */
function hangingNeighbours(hanging: number): BadNeighbours {
  return async (scenario, badHubId) => {
    const stuck = await startBadEndpoint('hang');
    const failing = await startBadEndpoint(500);
    for (let index = 0; index < hanging; index++) {
      await scenario.createWebhook(badHubId, `Hanging ${index}`, `${stuck.url}/hang/${index}`);
    }
    await scenario.createWebhook(badHubId, 'Always 500', `${failing.url}/500`);
    for (let sent = 0; sent < BAD_EVENTS; sent += 100) {
      const events = Array.from({ length: 100 }, (_, offset) => eventBody(sent + offset, Date.now()));
      await scenario.api('POST', `/hubs/${badHubId}/events:batch`, { events });
    }
    // The bad ones have taken what they can before the healthy traffic starts.
    await until(() => stuck.holding() >= hanging, 30_000, 'every hanging endpoint to hold a request');
    let atStart = 0;
    return {
      async mark(phase) {
        if (phase === 'start') atStart = stuck.holding();
      },
      async describe() {
        return [
          `hanging endpoints: holding ${atStart} requests as the healthy traffic started, ${stuck.received()} received in all; ` +
            `the 500 endpoint answered ${failing.received()}`,
        ];
      },
      close: async () => {
        await stuck.close();
        await failing.close();
      },
    };
  };
}

/** Bad hub: one webhook with 100,000 due retries written straight into the log (as a long outage leaves them). */
function floodNeighbour(floodReceiver: ForkedReceiver): BadNeighbours {
  return async (scenario, badHubId) => {
    await floodReceiver.reset();
    const webhookId = await scenario.createWebhook(badHubId, 'Flood', `${floodReceiver.url}/flood`);
    const pool = new pg.Pool({ connectionString: scenario.databaseUrl, max: 1 });
    try {
      // uuid7s of this moment with a counter in their last 48 bits: all in today's partition.
      const eventBase = uuid7();
      // The same time (a delivery shares its event's day, which the database checks), another random part.
      const deliveryBase = `${eventBase.slice(0, 19)}${eventBase[19] === 'a' ? 'b' : 'a'}${eventBase.slice(20)}`;
      const seededAt = Date.now();
      await pool.query(
        `INSERT INTO events (id, hub_id, sequence_id, name, request_id, payload)
         SELECT overlay($1::text PLACING lpad(to_hex(i), 12, '0') FROM 25)::uuid, $2, i, $3, 'flood-' || i, '{"id":"flood"}'::json
           FROM generate_series(1, $4::int) i`,
        [eventBase, badHubId, EVENT_NAME, FLOOD],
      );
      await pool.query(
        `INSERT INTO deliveries (id, hub_id, event_id, webhook_id, status, filter_report, next_attempt_at, attempt_count)
         SELECT overlay($1::text PLACING lpad(to_hex(i), 12, '0') FROM 25)::uuid, $2,
                overlay($3::text PLACING lpad(to_hex(i), 12, '0') FROM 25)::uuid, $4, 'RETRYING', '[]',
                now() - interval '1 minute', 1
           FROM generate_series(1, $5::int) i`,
        [deliveryBase, badHubId, eventBase, webhookId, FLOOD],
      );
      await pool.query('UPDATE hubs SET last_sequence_id = $2 WHERE id = $1', [badHubId, FLOOD]);
      await armWebhooks(pool, [{ webhookId, at: null }]);
      console.log(
        `  seeded ${FLOOD.toLocaleString('en-US')} due retries in ${((Date.now() - seededAt) / 1000).toFixed(1)} s`,
      );
    } finally {
      await pool.end();
    }
    await until(async () => (await floodReceiver.count()).received >= 100, 60_000, 'the flood to be under way');
    const marks: Record<'start' | 'end', { at: number; received: number }> = {
      start: { at: 0, received: 0 },
      end: { at: 0, received: 0 },
    };
    return {
      async mark(phase) {
        marks[phase] = { at: Date.now(), received: (await floodReceiver.count()).received };
      },
      async describe() {
        const perSecond = (marks.end.received - marks.start.received) / ((marks.end.at - marks.start.at) / 1000);
        const total = (await floodReceiver.count()).received;
        return [
          `flood: ${Math.round(perSecond).toLocaleString('en-US')} deliveries/s during the healthy run ` +
            `(${total.toLocaleString('en-US')} of ${FLOOD.toLocaleString('en-US')} delivered by the end of the scenario)`,
        ];
      },
      close: async () => undefined,
    };
  };
}

const ms = (value: number) => (Number.isNaN(value) ? '–' : `${Math.round(value).toLocaleString('en-US')} ms`);
const mb = (value: number) => `${Math.round(value).toLocaleString('en-US')} MB`;
const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');

function report(figures: ScenarioFigures): void {
  const { latency } = figures;
  console.log(
    `  healthy webhook delivered ${figures.delivered}/${HEALTHY_EVENTS}` +
      `${figures.refused > 0 ? ` (${figures.refused} emits refused)` : ''}; emit → receipt p50 ${ms(latency.p50)}, ` +
      `p90 ${ms(latency.p90)}, p99 ${ms(latency.p99)}, max ${ms(latency.max)} ` +
      `[target p99 ≤ ${TARGET_P99_MS} ms, all ${HEALTHY_EVENTS}: ${verdict(figures.delivered >= HEALTHY_EVENTS && latency.p99 <= TARGET_P99_MS)}]; ` +
      `emit → 202 p99 ${ms(figures.acceptedP99)}`,
  );
  console.log(
    `  /healthz every 100 ms: ${figures.health.probes} probes${figures.health.failed > 0 ? ` (${figures.health.failed} failed)` : ''}, ` +
      `p99 ${ms(figures.health.p99)}, max ${ms(figures.health.max)} [target ≤ ${TARGET_HEALTHZ_MS} ms: ${verdict(figures.health.max <= TARGET_HEALTHZ_MS)}]`,
  );
  console.log(`  ${figures.rss.of} RSS: ${mb(figures.rss.beforeMb)} before, at most ${mb(figures.rss.maxMb)} during`);
  for (const note of figures.notes) console.log(`  ${note}`);
  console.log(`  load average after: ${loadAverage()}`);
}

async function main(): Promise<void> {
  process.on('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
  const dataDir = path.join(os.tmpdir(), `herald-isolation-${process.pid}`);
  const embedded = await startEmbeddedPostgres({ dataDir, durable: true });
  cleanups.push(async () => {
    await embedded.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const healthy = await forkReceiver();
  const flood = await forkReceiver();

  console.log(
    `Herald isolation benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ` +
      `PostgreSQL durable (fsync on); Herald as npm start runs it (web server + worker, default settings); ` +
      `healthy webhook: ${RATE} events/s for ${SECONDS} s via POST …/events, open loop, in a hub of its own; ` +
      `load average (1/5/15 min) ${loadAverage()}`,
  );
  const all: ScenarioFigures[] = [];
  // The same healthy traffic with no neighbour at all: what the machine itself gives, so the
  // scenarios below can be read against it on a busy day.
  all.push(await runScenario(embedded.adminUrl, healthy, 0, 'no neighbours (baseline)', noNeighbours));
  all.push(
    await runScenario(
      embedded.adminUrl,
      healthy,
      1,
      `3 hanging endpoints + 1 answering 500, ${BAD_EVENTS} events each`,
      hangingNeighbours(3),
    ),
  );
  all.push(
    await runScenario(
      embedded.adminUrl,
      healthy,
      2,
      `10 hanging endpoints + 1 answering 500, ${BAD_EVENTS} events each`,
      hangingNeighbours(10),
    ),
  );
  all.push(
    await runScenario(
      embedded.adminUrl,
      healthy,
      3,
      `a webhook holding ${FLOOD.toLocaleString('en-US')} due retries (endpoint answers at once)`,
      floodNeighbour(flood),
    ),
  );

  console.log('\nsummary (healthy webhook: emit → receipt; targets p99 ≤ 250 ms, /healthz ≤ 500 ms):');
  for (const [index, figures] of all.entries()) {
    console.log(
      `  ${index}. ${figures.label}: ${figures.delivered}/${HEALTHY_EVENTS}, p99 ${ms(figures.latency.p99)}, ` +
        `max ${ms(figures.latency.max)}; /healthz p99 ${ms(figures.health.p99)}, max ${ms(figures.health.max)}; ` +
        `${figures.rss.of} RSS ${mb(figures.rss.beforeMb)} → ${mb(figures.rss.maxMb)}`,
    );
  }
  console.log(`  load average at the end ${loadAverage()}`);
  await cleanUp();
  // A target missed is printed beside its figure (a loaded machine misses latency targets); a
  // healthy delivery that never arrived is a failure of the run.
  if (all.some((figures) => figures.delivered < HEALTHY_EVENTS)) process.exitCode = 1;
}

main().catch(async (error: Error) => {
  console.error(error.stack ?? error.message);
  await cleanUp();
  process.exit(1);
});
process.on('SIGINT', () => void cleanUp().then(() => process.exit(130)));
