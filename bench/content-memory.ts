/**
 * `npm run bench:content`: the content-memory probe of issue 15, measured. A delivery worker
 * (worker/main.ts, 200 slots) in a process of its own serves a webhook whose payload template
 * makes 25 withDeliveryContentItem calls on items that each link ~4.5 MB of content, for 40
 * events, beside a neighbour webhook with a standard payload. Prints the worker's RSS before,
 * at its peak (sampled every 20 ms) and after, and how the deliveries ended. Target: growth
 * ≤ 250 MB, every heavy delivery FAILED with the content budget's reason, every neighbour's
 * delivery DELIVERED.
 *
 * Needs DATABASE_URL (any PostgreSQL it may create a database on); the database is dropped after.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { closeDatabase, prisma } from '../lib/db/client';
import { ensureDatabase } from '../lib/db/embedded';
import { migrate } from '../lib/db/migrate';
import { errorDetail } from '../lib/errors';
import { emitEvent } from '../lib/events/emit-event';
import { ensureDefaultHub } from '../lib/hubs/hubs';
import { createWebhook } from '../lib/webhooks/create-webhook';

const ROOT = path.resolve(import.meta.dirname, '..');
const EVENT = 'dynamic-content.content-item.updated';
const CALLS = 25;
const EVENTS = 40;
const SLOTS = 200;
const PARTS = 5;
const PART_BYTES = Math.round(0.9 * 1024 * 1024);
const TARGET_GROWTH_MB = 250;
const CORE = 'http://bigcontent.io/cms/schema/v1/core#/definitions';

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for process ${pid}: ${status.slice(0, 300)}`);
  return Number(kb) * 1024;
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function startReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function seedContent(hubId: string): Promise<string[]> {
  const db = prisma();
  const schema = 'https://example.com/page.json';
  const item = (id: string, body: Record<string, unknown>) =>
    db.contentItem.create({
      data: { hubId, id, version: 1, label: id, schema, body: { _meta: { name: id, schema }, ...body } },
    });
  const parts = Array.from({ length: PARTS }, () => randomUUID());
  for (const [index, part] of parts.entries()) await item(part, { text: String(index).repeat(PART_BYTES) });
  const link = (id: string) => ({ _meta: { schema: `${CORE}/content-link` }, contentType: schema, id });
  const items = Array.from({ length: CALLS }, () => randomUUID());
  for (const id of items) await item(id, { parts: parts.map(link) });
  return items;
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('Set DATABASE_URL to a PostgreSQL server the benchmark may create a database on');
  const name = `herald_content_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const env = {
    DATABASE_URL: url.toString(),
    HERALD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    HERALD_ALLOW_PRIVATE_DESTINATIONS: 'loopback',
    HERALD_LOG_LEVEL: 'warn',
    HERALD_WORKER_CONCURRENCY: String(SLOTS),
    // Its own metrics port: another Herald on this machine may hold the default one.
    HERALD_WORKER_METRICS_PORT: String(await freePort()),
  };
  Object.assign(process.env, env);
  let worker: ChildProcess | undefined;
  let sampling = true;
  const receiver = await startReceiver();
  try {
    await migrate(env.DATABASE_URL);
    const hub = await ensureDefaultHub();
    const items = await seedContent(hub.id);
    console.log(`content: ${CALLS} items, each linking ${PARTS} × ${mb(PART_BYTES)}; ${EVENTS} events, ${SLOTS} slots`);

    const neighbour = await createWebhook(hub.id, {
      label: 'neighbour',
      events: [EVENT],
      handlers: [`${receiver.url}/neighbour`],
    });
    // Warms the render threads and a content load up, so "before" is a worker that has rendered.
    const warm = await createWebhook(hub.id, {
      label: 'warm-up',
      events: [EVENT],
      handlers: [`${receiver.url}/warm`],
      customPayload: {
        type: 'text/x-handlebars-template',
        value: `{{#withDeliveryContentItem contentItemId="${items[0]}"}}{"parts": {{parts.length}} }{{/withDeliveryContentItem}}`,
      },
    });

    worker = fork(path.join(ROOT, 'worker/main.ts'), {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const pid = worker.pid;
    if (pid === undefined) throw new Error('the worker did not start');
    worker.once('exit', (code, signal) => {
      if (sampling) console.error(`the worker exited (${signal ?? code}) during the run`);
    });
    const statusCount = async (webhookId: string, statuses: string[]) =>
      prisma().delivery.count({ where: { webhookId, status: { in: statuses as never[] } } });

    await emitEvent(hub.id, { name: EVENT, payload: { id: randomUUID(), label: 'warm-up' } });
    await waitUntil(async () => (await statusCount(warm.id, ['DELIVERED'])) === 1, 'the warm-up delivery');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const before = await rssOf(pid);

    await prisma().webhook.update({ where: { id: warm.id }, data: { active: false } });
    const template = items
      .map((id) => `{{#withDeliveryContentItem contentItemId="${id}"}}{{parts.length}}{{/withDeliveryContentItem}}`)
      .join(',');
    const heavy = await createWebhook(hub.id, {
      label: 'heavy',
      events: [EVENT],
      handlers: [`${receiver.url}/heavy`],
      customPayload: { type: 'text/x-handlebars-template', value: `[${template}]` },
    });

    let peak = before;
    const sampler = (async () => {
      while (sampling && worker?.exitCode === null && worker.signalCode === null) {
        peak = Math.max(peak, await rssOf(pid).catch(() => 0));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const startedAt = Date.now();
    for (let n = 0; n < EVENTS; n++) {
      await emitEvent(hub.id, { name: EVENT, payload: { id: randomUUID(), label: `event ${n}` } });
    }
    await waitUntil(
      async () =>
        // A load that timed out on a busy machine is retried minutes later: its first attempt counts.
        (await statusCount(heavy.id, ['FAILED', 'DELIVERED', 'RETRYING'])) === EVENTS &&
        (await statusCount(neighbour.id, ['DELIVERED'])) === EVENTS + 1,
      'every delivery to end (or be retried later)',
    );
    const elapsed = Date.now() - startedAt;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    sampling = false;
    await sampler;
    const after = await rssOf(pid);

    const heavyOutcomes = await prisma().delivery.groupBy({
      by: ['status', 'lastError'],
      where: { webhookId: heavy.id },
      _count: true,
    });
    console.log(`every delivery had its first attempt within ${(elapsed / 1000).toFixed(1)} s`);
    for (const outcome of heavyOutcomes) {
      console.log(`  heavy: ${outcome._count} × ${outcome.status}: ${outcome.lastError?.slice(0, 110) ?? ''}`);
    }
    console.log(`  neighbour: ${EVENTS} × DELIVERED`);
    const growth = peak - before;
    console.log(
      `worker RSS: before ${mb(before)}, peak ${mb(peak)}, after ${mb(after)}; growth ${mb(growth)} ` +
        `(target ≤ ${TARGET_GROWTH_MB} MB: ${growth <= TARGET_GROWTH_MB * 1024 * 1024 ? 'met' : 'NOT met'})`,
    );
  } finally {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker?.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    }
    await receiver.close();
    await closeDatabase();
    const { dropDatabase } = await import('../tests/support/databases');
    await dropDatabase(adminUrl, name);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(errorDetail(error));
    process.exit(1);
  },
);
