import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DAY_MS, ensureLogPartitions, listLogPartitions, uuidTime } from '../../lib/activity-log/partitions';
import { getDelivery, listDeliveries } from '../../lib/activity-log/read-deliveries';
import { listRecentEvents } from '../../lib/activity-log/recent-events';
import { pruneActivityLog } from '../../lib/activity-log/retention';
import { webhookStats } from '../../lib/activity-log/webhook-stats';
import { database } from '../../lib/db/client';
import { ensureDatabase } from '../../lib/db/embedded';
import { MIGRATIONS_DIR, migrate, readMigrations } from '../../lib/db/migrate';
import { createHub } from '../../lib/hubs/hubs';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { dropDatabase } from '../support/databases';
import { insertPastDelivery, type PastDelivery } from '../support/log-rows';

const EVENT = 'dynamic-content.content-item.updated';
const HOUR = 3_600_000;

describe('activity log reads across day partitions', () => {
  let hubId: string;
  let webhookId: string;
  let rows: PastDelivery[];
  const statuses = ['DELIVERED', 'FAILED', 'DELIVERED', 'FILTERED'];

  beforeAll(async () => {
    const pool = database().pool;
    const now = Date.now();
    await ensureLogPartitions(pool, { now: new Date(now - 4 * DAY_MS), daysAhead: 4 });
    hubId = (await createHub('partitioned', 'Partitioned')).id;
    webhookId = (await createWebhook(hubId, { label: 'w', events: [EVENT], handlers: ['https://example.com/h'] })).id;
    rows = [];
    // Four deliveries on each of the last four days (oldest first), the newest an hour ago.
    for (const daysAgo of [3, 2, 1, 0]) {
      for (const [index, status] of statuses.entries()) {
        const ms = now - daysAgo * DAY_MS - HOUR - (statuses.length - index) * 60_000;
        rows.push(await insertPastDelivery(pool, { hubId, webhookId, ms, status }));
      }
    }
    const days = new Set(rows.map((row) => Math.floor(uuidTime(row.deliveryId) / DAY_MS)));
    expect(days.size).toBeGreaterThanOrEqual(4);
  });

  it('pages a webhook’s log newest first through every day, three at a time', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await listDeliveries(hubId, webhookId, { limit: 3, cursor });
      seen.push(...result.items.map((item) => item.id));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen).toEqual(rows.map((row) => row.deliveryId).reverse());
  });

  it('filters by status across days, and starts deep pages from a cursor into an old day', async () => {
    const failed = await listDeliveries(hubId, webhookId, { limit: 2, status: 'FAILED' });
    const expectedFailed = rows.filter((_, index) => statuses[index % 4] === 'FAILED').map((row) => row.deliveryId);
    expect(failed.items.map((item) => item.id)).toEqual(expectedFailed.reverse().slice(0, 2));
    const rest = await listDeliveries(hubId, webhookId, {
      limit: 5,
      status: 'FAILED',
      cursor: failed.nextCursor ?? '',
    });
    expect(rest.items.map((item) => item.id)).toEqual(expectedFailed.slice(2));
    expect(rest.nextCursor).toBeNull();

    const deep = await listDeliveries(hubId, webhookId, { limit: 1, cursor: failed.nextCursor ?? '' });
    const afterCursor = rows.findIndex((row) => row.deliveryId === failed.items[1]?.id) - 1;
    expect(deep.items.map((item) => item.id)).toEqual([rows[afterCursor]?.deliveryId]);
  });

  it('shows an old delivery with its event and attempts', async () => {
    const oldest = rows[1] as PastDelivery;
    const delivery = await getDelivery(hubId, webhookId, oldest.deliveryId);
    expect(delivery).toMatchObject({ status: 'FAILED', event: { id: oldest.eventId, sequenceId: oldest.sequenceId } });
    expect(delivery.attempts).toEqual([expect.objectContaining({ number: 1, succeeded: false })]);
  });

  it('lists a hub’s events with their deliveries across days, paged by sequenceId', async () => {
    const first = await listRecentEvents(hubId, { limit: 6 });
    expect(first.items.map((event) => event.id)).toEqual(
      rows
        .slice(-6)
        .map((row) => row.eventId)
        .reverse(),
    );
    const second = await listRecentEvents(hubId, { limit: 20, beforeSequenceId: first.nextBefore ?? 0 });
    expect(second.items.map((event) => event.id)).toEqual(
      rows
        .slice(0, -6)
        .map((row) => row.eventId)
        .reverse(),
    );
    for (const event of [...first.items, ...second.items]) {
      const row = rows.find((candidate) => candidate.eventId === event.id);
      expect(event.deliveries.map((delivery) => delivery.id)).toEqual([row?.deliveryId]);
    }
  });

  it('finds the last sent delivery in the newest day', async () => {
    const stats = await webhookStats(hubId);
    expect(stats.get(webhookId)).toMatchObject({ lastStatus: 'DELIVERED' });
  });
});

describe('the partitioning migration', () => {
  it('turns a log that has rows into the first partition: rows kept as they were, dropped whole once expired', async () => {
    const adminUrl = inject('adminDatabaseUrl');
    const name = `herald_t_legacy_${process.pid}`;
    await ensureDatabase(adminUrl, name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'herald-migrations-'));
    const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
    try {
      const partitioning = (await readMigrations()).findIndex((migration) =>
        migration.name.endsWith('_partition_activity_log'),
      );
      for (const migration of (await readMigrations()).slice(0, partitioning)) {
        await cp(path.join(MIGRATIONS_DIR, migration.name), path.join(dir, migration.name), { recursive: true });
      }
      await migrate(url.toString(), dir);
      // What the previous version wrote: a delivery id of its own, a few ms after its event's.
      const now = Date.now();
      const eventId = `${now
        .toString(16)
        .padStart(12, '0')
        .replace(/^(.{8})/, '$1-')}-7000-8000-000000000001`;
      const deliveryId = `${(now + 3)
        .toString(16)
        .padStart(12, '0')
        .replace(/^(.{8})/, '$1-')}-7000-8000-000000000002`;
      await pool.query(`INSERT INTO hubs (id, name, label) VALUES ('hub', 'hub', 'Hub')`);
      await pool.query(`INSERT INTO webhooks (id, hub_id, label, secret_ciphertext) VALUES ('wh', 'hub', 'w', 'x')`);
      await pool.query(
        `INSERT INTO events (id, hub_id, sequence_id, name, request_id, payload) VALUES ($1, 'hub', 1, $2, 'r', '{"a":1}')`,
        [eventId, EVENT],
      );
      await pool.query(
        `INSERT INTO deliveries (id, hub_id, event_id, webhook_id, status) VALUES ($1, 'hub', $2, 'wh', 'DELIVERED')`,
        [deliveryId, eventId],
      );
      await pool.query(
        `INSERT INTO delivery_attempts (id, delivery_id, number, chain, started_at, duration_ms, request_headers, succeeded)
         VALUES (gen_random_uuid(), $1, 1, 1, now(), 5, '{}', true)`,
        [deliveryId],
      );

      expect(await migrate(url.toString())).toContainEqual(expect.stringMatching(/_partition_activity_log$/));
      const partitions = await listLogPartitions(pool);
      const legacy = partitions.filter((partition) => partition.name.endsWith('_legacy'));
      expect(legacy.map((partition) => [partition.parent, partition.lowerMs]).sort()).toEqual([
        ['deliveries', null],
        ['delivery_attempts', null],
        ['events', null],
      ]);
      const { rows } = await pool.query(
        `SELECT e.payload::text AS payload, d.status::text AS status, a.succeeded
           FROM deliveries d JOIN events e ON e.id = d.event_id JOIN delivery_attempts a ON a.delivery_id = d.id
          WHERE d.id = $1`,
        [deliveryId],
      );
      expect(rows).toEqual([{ payload: '{"a":1}', status: 'DELIVERED', succeeded: true }]);

      // Expired as a whole once the legacy partitions' last day is past the retention period.
      const report = await pruneActivityLog(pool, 30 * DAY_MS, new Date(now + 32 * DAY_MS));
      expect(report?.dropped).toEqual(
        expect.arrayContaining(['deliveries_legacy', 'delivery_attempts_legacy', 'events_legacy']),
      );
      expect((await pool.query('SELECT count(*)::int AS n FROM events')).rows[0]?.n).toBe(0);
    } finally {
      await pool.end();
      await rm(dir, { recursive: true, force: true });
      await dropDatabase(adminUrl, name);
    }
  });
});
