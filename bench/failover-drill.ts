import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { request } from 'undici';
import { z } from 'zod';
import { startReplicatedPostgres } from '../tests/support/replicated-postgres';
import { freePort, type HeraldProcess, healthz, startProcess, stopProcess, waitUntil } from './drill-processes';
import { longestWithoutAccept, produce } from './failover-producer';

/**
 * `npm run drill:failover`: Herald on a PostgreSQL primary and its synchronous standby (built on
 * loopback from the machine's binaries), two web servers and two workers as separate processes,
 * a careful producer at DRILL_RATE events/s for DRILL_SECONDS through both web servers; the
 * primary's postmaster is SIGKILLed at DRILL_KILL_AT s and the standby promoted DRILL_PROMOTE_AFTER
 * s later. Prints what was accepted, lost, accepted twice and resent, the longest time without a
 * 202, every other answer, and whether every process is still alive and healthy.
 */

const ZDrillEnv = z.object({
  DRILL_RATE: z.coerce.number().int().min(1).max(2000).default(100),
  DRILL_SECONDS: z.coerce.number().int().min(5).max(600).default(60),
  DRILL_KILL_AT: z.coerce.number().min(1).default(20),
  DRILL_PROMOTE_AFTER: z.coerce.number().min(0).max(120).default(5),
  /** After the last send, how long deliveries may take to arrive (expired leases included). */
  DRILL_DRAIN_SECONDS: z.coerce.number().int().min(10).max(1800).default(150),
});
const knobs = ZDrillEnv.parse(process.env);
const RATE = knobs.DRILL_RATE;
const SECONDS = knobs.DRILL_SECONDS;
const KILL_AT_MS = knobs.DRILL_KILL_AT * 1000;
const PROMOTE_AFTER_MS = knobs.DRILL_PROMOTE_AFTER * 1000;
const DRAIN_MS = knobs.DRILL_DRAIN_SECONDS * 1000;
const EVENT = 'dynamic-content.content-item.created';

const say = (message: string) => console.log(`[drill] ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function payloadIdOf(body: string): string | undefined {
  try {
    const envelope = JSON.parse(body) as { payload?: { id?: unknown } };
    return typeof envelope.payload?.id === 'string' ? envelope.payload.id : undefined;
  } catch {
    return undefined;
  }
}

/** Every delivery the receiver got: payload id → webhook-ids, and how often each webhook-id came. */
class DrillReceiver {
  readonly byPayload = new Map<string, Set<string>>();
  readonly byWebhookId = new Map<string, number>();
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const webhookId = String(req.headers['webhook-id'] ?? 'none');
      const id = payloadIdOf(Buffer.concat(chunks).toString());
      this.byWebhookId.set(webhookId, (this.byWebhookId.get(webhookId) ?? 0) + 1);
      if (id) this.byPayload.set(id, (this.byPayload.get(id) ?? new Set()).add(webhookId));
      res.writeHead(204).end();
    });
  });
  url = '';

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get received(): number {
    let total = 0;
    for (const count of this.byWebhookId.values()) total += count;
    return total;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const logDir = mkdtempSync('/var/tmp/herald-drill-logs-');
  say(`PostgreSQL primary + synchronous standby from $(pg_config --bindir); process logs in ${logDir}`);
  const cluster = await startReplicatedPostgres({ durable: true });
  const processes: HeraldProcess[] = [];
  const receiver = await new DrillReceiver().start();
  try {
    const admin = new pg.Client({ connectionString: cluster.primary.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE herald');
    await admin.end();
    const url = cluster.multiHostUrl('herald');
    say(`DATABASE_URL=${url}`);
    const clientId = `drill-${randomBytes(4).toString('hex')}`;
    const clientSecret = randomBytes(24).toString('hex');
    const env = {
      DATABASE_URL: url,
      HERALD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      HERALD_ALLOW_PRIVATE_DESTINATIONS: 'loopback',
      HERALD_BOOTSTRAP_CLIENT_ID: clientId,
      HERALD_BOOTSTRAP_CLIENT_SECRET: clientSecret,
      HERALD_WORKER_METRICS_PORT: '0',
      HERALD_LOG_LEVEL: 'info',
    };
    // Herald's own modules read the environment once: set it before they load.
    Object.assign(process.env, env);
    const { migrate } = await import('../lib/db/migrate');
    const { ensureNextBuild } = await import('../scripts/next-build');
    const { bootstrap } = await import('../lib/bootstrap');
    const { createWebhook } = await import('../lib/webhooks/create-webhook');
    const { closeDatabase } = await import('../lib/db/client');
    await migrate(url);
    const { hub } = await bootstrap();
    await createWebhook(hub.id, { label: 'drill', events: [EVENT], handlers: [`${receiver.url}/drill`] });
    await closeDatabase();
    // Built once here: two web servers starting at once would both build.
    ensureNextBuild(say);

    for (const name of ['web-1', 'web-2']) {
      const port = await freePort();
      processes.push({ name, port, child: startProcess(name, 'web', { ...env, PORT: String(port) }, logDir) });
    }
    for (const name of ['worker-1', 'worker-2']) {
      processes.push({ name, child: startProcess(name, 'worker', env, logDir) });
    }
    const webUrls = processes.flatMap((p) => (p.port ? [`http://127.0.0.1:${p.port}`] : []));
    for (const webUrl of webUrls) {
      await waitUntil(`${webUrl}/healthz`, 300_000, async () => (await healthz(webUrl)) === 200);
    }
    for (const worker of processes.filter((p) => !p.port)) {
      await waitUntil(`${worker.name} to start`, 120_000, () =>
        readFileSync(path.join(logDir, `${worker.name}.log`), 'utf8').includes('delivery worker'),
      );
    }
    say(`2 web servers (${webUrls.join(', ')}) and 2 workers up`);

    const tokenResponse = await request(`${webUrls[0]}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const { access_token: token } = (await tokenResponse.body.json()) as { access_token: string };

    const runId = `drill-${randomBytes(3).toString('hex')}`;
    say(
      `sending ${RATE} events/s for ${SECONDS} s; primary killed at ${KILL_AT_MS / 1000} s, standby promoted ${PROMOTE_AFTER_MS / 1000} s later`,
    );
    const loopDelay = monitorEventLoopDelay({ resolution: 20 });
    loopDelay.enable();
    const sendStart = Date.now();
    const timeline = (async () => {
      await sleep(KILL_AT_MS);
      await cluster.killPrimary();
      say(`t=${((Date.now() - sendStart) / 1000).toFixed(1)} s: SIGKILL to the primary's postmaster`);
      await sleep(PROMOTE_AFTER_MS);
      await cluster.promoteStandby();
      say(`t=${((Date.now() - sendStart) / 1000).toFixed(1)} s: standby promoted`);
    })();
    const report = await produce({
      targets: webUrls,
      token,
      hubId: hub.id,
      eventName: EVENT,
      ratePerSecond: RATE,
      seconds: SECONDS,
      runId,
      giveUpAfterMs: 120_000,
    });
    await timeline;
    say(`t=${((Date.now() - sendStart) / 1000).toFixed(1)} s: sending done; waiting for deliveries`);

    const undelivered = () => [...report.accepted].filter((id) => !receiver.byPayload.has(id));
    const drainDeadline = Date.now() + DRAIN_MS;
    while (undelivered().length > 0 && Date.now() < drainDeadline) await sleep(500);

    const db = new pg.Client({ connectionString: cluster.standby.adminUrl.replace(/\/postgres$/, '/herald') });
    await db.connect();
    const { rows: twice } = await db.query<{ id: string }>(
      `SELECT payload->>'id' AS id FROM events WHERE payload->>'id' LIKE $1 GROUP BY 1 HAVING count(*) > 1`,
      [`${runId}-%`],
    );
    const { rows: stored } = await db.query<{ count: number }>(
      `SELECT count(DISTINCT payload->>'id')::int AS count FROM events WHERE payload->>'id' LIKE $1`,
      [`${runId}-%`],
    );
    await db.end();

    const resent = [...receiver.byWebhookId.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0);
    const other = [...report.answers].filter(
      ([answer]) => answer !== '202' && answer !== '503' && !answer.startsWith('no answer'),
    );
    const unanswered = [...report.answers].filter(([answer]) => answer.startsWith('no answer'));
    const alive = processes.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    const health = await Promise.all(webUrls.map(async (webUrl) => `${webUrl} ${await healthz(webUrl)}`));
    const lost = undelivered();
    const lines = [
      `events sent:                   ${report.sent} (${RATE}/s for ${SECONDS} s)`,
      `events accepted (202):         ${report.accepted.size}${report.gaveUp ? ` (${report.gaveUp} given up after 120 s of retries)` : ''}`,
      `events stored (distinct ids):  ${stored[0]?.count ?? 0}`,
      `lost (accepted, never delivered): ${lost.length}${lost.length ? ` e.g. ${lost.slice(0, 5).join(', ')}` : ''}`,
      `accepted twice (>1 event per payload id): ${twice.length}`,
      `deliveries received:           ${receiver.received} (${receiver.byWebhookId.size} distinct webhook-ids)`,
      `deliveries resent (same webhook-id): ${resent}`,
      `longest time without a 202:    ${(longestWithoutAccept(report) / 1000).toFixed(1)} s`,
      `answers:                       ${[...report.answers].map(([answer, n]) => `${answer} ×${n}`).join(', ')}`,
      `answers other than 202/503:    ${other.length ? other.map(([answer, n]) => `${answer} ×${n}`).join(', ') : 'none'}`,
      `requests without an answer:    ${unanswered.length ? unanswered.map(([answer, n]) => `${answer} ×${n}`).join(', ') : 'none'} (retried with the same key)`,
      `drill's own event loop:        longest stall ${(loopDelay.max / 1e6).toFixed(0)} ms (a starved producer sees closed keep-alive sockets)`,
      `processes alive:               ${alive.length}/${processes.length} (${processes.map((p) => `${p.name} ${alive.includes(p) ? 'alive' : `exited ${p.child.exitCode ?? p.child.signalCode}`}`).join(', ')})`,
      `/healthz afterwards:           ${health.join(', ')}`,
      `drill took ${((Date.now() - started) / 1000).toFixed(0)} s`,
    ];
    console.log(`\n== failover drill ==\n${lines.join('\n')}`);
  } finally {
    await Promise.all(processes.map(stopProcess));
    await receiver.close();
    await cluster.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`[drill] failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
