import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DAY_MS, utcDay } from '../lib/activity-log/partitions';
import { deliveryIdFor } from '../lib/outbox/delivery-id';

/**
 * Seeds past days of the activity log the way a busy Herald would have written them: per day,
 * events, their deliveries (one per webhook, ids derived as emitEvent derives them) and one
 * attempt per sent delivery. Each day's three tables are loaded with COPY ... FREEZE into tables
 * of their own (written frozen and all-visible, so no vacuum pass is needed), then attached as
 * that day's partitions, which builds their indexes in one sort each.
 */

export interface SeedPlan {
  pool: pg.Pool;
  hubId: string;
  webhookIds: string[];
  /** Days before today to fill, oldest first (e.g. 30 … 1). */
  daysAgo: number[];
  eventsPerDay: number;
  /** Sequence ids continue from here. */
  firstSequenceId: number;
  /** A handler URL, for the stored requests. */
  url: string;
}

const ROWS_PER_CHUNK = 5000;

/** A uuid7 of the given millisecond (random bits after the time). */
export function uuid7At(ms: number): string {
  const time = ms.toString(16).padStart(12, '0');
  const random = randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

interface Loader {
  client: pg.PoolClient;
  stream: Writable & { rowCount: number };
  table: string;
}

async function openLoader(pool: pg.Pool, parent: string, table: string, key: string, day: string, storage: string) {
  const client = await pool.connect();
  await client.query('BEGIN');
  // The bounds as a CHECK from the start, so ATTACH does not scan the table to prove them.
  await client.query(
    `CREATE TABLE ${table} (LIKE ${parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
       CONSTRAINT ${table}_seed_bounds CHECK (${key} >= herald_day_bound('${day}') AND ${key} < herald_day_bound(date '${day}' + 1)))
     ${storage}`,
  );
  const stream = client.query(copyFrom(`COPY ${table} FROM STDIN WITH (FREEZE)`));
  return { client, stream, table } satisfies Loader;
}

async function closeLoader(loader: Loader, parent: string, day: string): Promise<void> {
  loader.stream.end();
  await once(loader.stream, 'finish');
  await loader.client.query('COMMIT');
  await loader.client.query(
    `ALTER TABLE ${parent} ATTACH PARTITION ${loader.table}
       FOR VALUES FROM (herald_day_bound('${day}')) TO (herald_day_bound(date '${day}' + 1))`,
  );
  await loader.client.query(`ALTER TABLE ${loader.table} DROP CONSTRAINT ${loader.table}_seed_bounds`);
  await loader.client.query(`ANALYZE ${loader.table}`);
  loader.client.release();
}

const PAYLOAD = (n: number) => JSON.stringify({ id: `item-${n}`, label: `Seeded item ${n}`, status: 'ACTIVE' });

/** Fills one day; returns how many deliveries it wrote. */
async function seedDay(plan: SeedPlan, ago: number, firstSequenceId: number): Promise<number> {
  const dayStart = Math.floor(Date.now() / DAY_MS) * DAY_MS - ago * DAY_MS;
  const day = utcDay(dayStart);
  const suffix = day.replaceAll('-', '');
  const [events, deliveries, attempts] = await Promise.all([
    openLoader(plan.pool, 'events', `events_p${suffix}`, 'id', day, ''),
    openLoader(
      plan.pool,
      'deliveries',
      `deliveries_p${suffix}`,
      'id',
      day,
      'WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02)',
    ),
    openLoader(plan.pool, 'delivery_attempts', `delivery_attempts_p${suffix}`, 'delivery_id', day, ''),
  ]);
  const step = DAY_MS / plan.eventsPerDay;
  let written = 0;
  for (let start = 0; start < plan.eventsPerDay; start += ROWS_PER_CHUNK) {
    let eventRows = '';
    let deliveryRows = '';
    let attemptRows = '';
    for (let index = start; index < Math.min(plan.eventsPerDay, start + ROWS_PER_CHUNK); index++) {
      const ms = Math.floor(dayStart + index * step);
      const at = new Date(ms).toISOString();
      const sequenceId = firstSequenceId + index;
      const eventId = uuid7At(ms);
      const done = new Date(ms + 40).toISOString();
      eventRows += `${eventId}\t${plan.hubId}\t${sequenceId}\tdynamic-content.content-item.updated\t${randomUUID()}\t${PAYLOAD(sequenceId)}\t${at}\n`;
      for (const [position, webhookId] of plan.webhookIds.entries()) {
        const id = deliveryIdFor(eventId, webhookId);
        // Mostly delivered; some filtered (no request), some failed after their retries.
        const roll = (sequenceId * 7 + position * 13) % 100;
        const status = roll < 5 ? 'FILTERED' : roll < 6 ? 'FAILED' : 'DELIVERED';
        const sent = status !== 'FILTERED';
        const code = status === 'DELIVERED' ? '200' : status === 'FAILED' ? '500' : '\\N';
        deliveryRows +=
          `${id}\t${plan.hubId}\t${eventId}\t${webhookId}\t${status}\t[]\t${sent ? 1 : 0}\t1\t\\N\t\\N\t\\N\t` +
          `${sent ? 'POST' : '\\N'}\t${sent ? `${plan.url}/${position}` : '\\N'}\t\\N\t\\N\t\\N\t\\N\t${code}\t\\N\t` +
          `${status === 'DELIVERED' ? done : '\\N'}\t${at}\t${done}\n`;
        if (sent) {
          attemptRows +=
            `${randomUUID()}\t${id}\t1\t1\t${at}\t38\t{}\t${code}\t\\N\t\\N\tf\t` +
            `${status === 'FAILED' ? 'HTTP 500' : '\\N'}\t${status === 'DELIVERED' ? 't' : 'f'}\t\\N\n`;
        }
        written++;
      }
    }
    await Promise.all([
      write(events.stream, eventRows),
      write(deliveries.stream, deliveryRows),
      write(attempts.stream, attemptRows),
    ]);
  }
  await Promise.all([
    closeLoader(events, 'events', day),
    closeLoader(deliveries, 'deliveries', day),
    closeLoader(attempts, 'delivery_attempts', day),
  ]);
  return written;
}

/** Column order of the COPY rows above, checked against the tables before loading. */
export const SEEDED_COLUMNS = {
  events: ['id', 'hub_id', 'sequence_id', 'name', 'request_id', 'payload', 'created_date'],
  deliveries: [
    'id',
    'hub_id',
    'event_id',
    'webhook_id',
    'status',
    'filter_report',
    'attempt_count',
    'chain',
    'next_attempt_at',
    'lease_until',
    'lease_owner',
    'request_method',
    'request_url',
    'request_headers',
    'request_body',
    'payload_template',
    'url_template',
    'last_status_code',
    'last_error',
    'delivered_at',
    'created_date',
    'last_modified_date',
  ],
  delivery_attempts: [
    'id',
    'delivery_id',
    'number',
    'chain',
    'started_at',
    'duration_ms',
    'request_headers',
    'response_status',
    'response_headers',
    'response_body',
    'response_body_truncated',
    'error',
    'succeeded',
    'next_attempt_at',
  ],
} as const;

async function checkColumns(pool: pg.Pool): Promise<void> {
  for (const [table, expected] of Object.entries(SEEDED_COLUMNS)) {
    const { rows } = await pool.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [table],
    );
    const actual = rows.map((row) => row.name);
    if (actual.join() !== expected.join()) {
      throw new Error(`${table} columns are ${actual.join(', ')}; the seeder writes ${expected.join(', ')}`);
    }
  }
}

/** Seeds the planned days, two at a time (one per core), and reports progress. */
export async function seed(plan: SeedPlan, progress: (line: string) => void): Promise<number> {
  await checkColumns(plan.pool);
  let total = 0;
  const queue = plan.daysAgo.map((ago, index) => ({ ago, first: plan.firstSequenceId + index * plan.eventsPerDay }));
  const startedAt = Date.now();
  await Promise.all(
    [0, 1].map(async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const written = await seedDay(plan, next.ago, next.first);
        total += written;
        const seconds = (Date.now() - startedAt) / 1000;
        progress(
          `  ${utcDay(Date.now() - next.ago * DAY_MS)}: ${(total / 1e6).toFixed(1)} M deliveries in ${seconds.toFixed(0)} s`,
        );
      }
    }),
  );
  return total;
}
