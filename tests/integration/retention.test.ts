import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DAY_MS, ensureLogPartitions, listLogPartitions, utcDay, uuidTime } from '../../lib/activity-log/partitions';
import { pruneActivityLog } from '../../lib/activity-log/retention';
import { serverAutovacuumOn, vacuumOutboxIfNeeded } from '../../lib/activity-log/vacuum';
import { database, prisma } from '../../lib/db/client';
import { emitEvent } from '../../lib/events/emit-event';
import { createHub } from '../../lib/hubs/hubs';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { insertPastDelivery, uuid7At } from '../support/log-rows';
import { waitFor } from '../support/wait';

const EVENT = 'dynamic-content.content-item.updated';
const suffix = (ms: number) => utcDay(ms).replaceAll('-', '');
const partitionsOf = (ms: number) =>
  ['deliveries', 'delivery_attempts', 'events'].map((table) => `${table}_p${suffix(ms)}`);

async function partitionNames(): Promise<string[]> {
  return (await listLogPartitions(database().pool)).map((partition) => partition.name);
}

describe('activity log partitions', () => {
  it('exist for today and the next two days after migrating, and workers create them ahead', async () => {
    const now = Date.now();
    const names = await partitionNames();
    for (const day of [0, 1, 2]) expect(names).toEqual(expect.arrayContaining(partitionsOf(now + day * DAY_MS)));

    const later = new Date(now + 3 * DAY_MS);
    const first = await ensureLogPartitions(database().pool, { now: later });
    expect(first?.created.sort()).toEqual([3, 4, 5].flatMap((day) => partitionsOf(now + day * DAY_MS)).sort());
    expect(first?.postponed).toEqual([]);
    expect((await ensureLogPartitions(database().pool, { now: later }))?.created).toEqual([]);

    // Every day has the same bounds in all three tables: they are created and dropped together.
    const partitions = await listLogPartitions(database().pool);
    const bounds = (table: string) =>
      partitions.filter((partition) => partition.parent === table).map((p) => `${p.lowerMs}-${p.upperMs}`);
    expect(bounds('deliveries')).toEqual(bounds('events'));
    expect(bounds('delivery_attempts')).toEqual(bounds('events'));
  });

  it('leave creating partitions to the one process holding the lock', async () => {
    const other = new pg.Client({ connectionString: database().url });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock(72657263)');
      expect(await ensureLogPartitions(database().pool, { now: new Date(Date.now() + 20 * DAY_MS) })).toBeNull();
    } finally {
      await other.end();
    }
  });

  it('refuse a delivery whose id does not carry its event’s time, so it cannot land in another day', async () => {
    const hub = await createHub('misaligned', 'Misaligned');
    const webhook = await createWebhook(hub.id, { label: 'w', events: [EVENT], handlers: ['https://example.com/h'] });
    const event = await emitEvent(hub.id, { name: EVENT, payload: {} });
    await expect(
      database().pool.query(
        `INSERT INTO deliveries (id, hub_id, event_id, webhook_id, status) VALUES ($1, $2, $3, $4, 'QUEUED')`,
        [uuid7At(uuidTime(event.id) + 1), hub.id, event.id, webhook.id],
      ),
    ).rejects.toMatchObject({ code: '23514', constraint: 'deliveries_event_time_check' });
  });
});

describe('activity log retention', () => {
  it('drops whole days past the retention period, deliveries, attempts and events together, and keeps a day with pending deliveries', async () => {
    const pool = database().pool;
    const hub = await createHub('retention', 'Retention');
    const webhook = await createWebhook(hub.id, { label: 'w', events: [EVENT], handlers: ['https://example.com/h'] });
    const now = Date.now();
    const day = (ago: number) => now - ago * DAY_MS;
    await ensureLogPartitions(pool, { now: new Date(day(40)), daysAhead: 2 });
    const seed = (ago: number, status: string) =>
      insertPastDelivery(pool, { hubId: hub.id, webhookId: webhook.id, ms: day(ago), status });
    const expired = [await seed(40, 'DELIVERED'), await seed(40, 'FAILED'), await seed(38, 'FILTERED')];
    const pending = await seed(39, 'RETRYING');
    const doneBesidePending = await seed(39, 'DELIVERED');
    const recent = await emitEvent(hub.id, { name: EVENT, payload: {} });

    const report = await pruneActivityLog(pool, 30 * DAY_MS);
    expect(report?.dropped.sort()).toEqual([...partitionsOf(day(40)), ...partitionsOf(day(38))].sort());
    expect(report?.kept).toEqual([{ partition: `deliveries_p${suffix(day(39))}`, pending: 1 }]);
    expect(report?.postponed).toEqual([]);

    const names = await partitionNames();
    for (const name of [...partitionsOf(day(40)), ...partitionsOf(day(38))]) expect(names).not.toContain(name);
    expect(names).toEqual(expect.arrayContaining(partitionsOf(day(39))));
    const eventIds = (await prisma().event.findMany({ where: { hubId: hub.id }, select: { id: true } })).map(
      (e) => e.id,
    );
    expect(eventIds.sort()).toEqual([pending.eventId, doneBesidePending.eventId, recent.id].sort());
    expect(await prisma().delivery.count({ where: { id: { in: expired.map((row) => row.deliveryId) } } })).toBe(0);
    expect(await prisma().deliveryAttempt.count({ where: { deliveryId: doneBesidePending.deliveryId } })).toBe(1);

    // Once the day's last pending delivery is done, the next run drops the day.
    await prisma().delivery.update({ where: { id: pending.deliveryId }, data: { status: 'DELIVERED' } });
    const next = await pruneActivityLog(pool, 30 * DAY_MS);
    expect(next?.dropped.sort()).toEqual(partitionsOf(day(39)).sort());
    expect(next?.kept).toEqual([]);
    expect(await prisma().event.count({ where: { hubId: hub.id } })).toBe(1);
  });

  it('finishes dropping a day whose attempts detach was cut short (a crash, a cancel)', async () => {
    const pool = database().pool;
    const ago = Date.now() - 50 * DAY_MS;
    await ensureLogPartitions(pool, { now: new Date(ago), daysAhead: 0 });
    const attempts = `delivery_attempts_p${suffix(ago)}`;
    const reader = new pg.Client({ connectionString: database().url });
    const detacher = new pg.Client({ connectionString: database().url });
    await Promise.all([reader.connect(), detacher.connect()]);
    try {
      // A detach waits for the transactions using the table; cancelled meanwhile, it stays pending.
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM delivery_attempts');
      await detacher.query(`SET statement_timeout = '200ms'`);
      await expect(
        detacher.query(`ALTER TABLE delivery_attempts DETACH PARTITION ${attempts} CONCURRENTLY`),
      ).rejects.toThrow();
      await reader.query('ROLLBACK');
      const { rows } = await pool.query<{ pending: boolean }>(
        'SELECT inhdetachpending AS pending FROM pg_inherits WHERE inhrelid = $1::regclass',
        [attempts],
      );
      expect(rows[0]?.pending).toBe(true);

      const report = await pruneActivityLog(pool, 30 * DAY_MS);
      expect(report?.dropped).toEqual(expect.arrayContaining(partitionsOf(ago)));
      expect(await partitionNames()).not.toContain(attempts);
    } finally {
      await Promise.all([reader.end(), detacher.end()]);
    }
  });

  it('lets emits go on while it waits to drop a day, holding no exclusive lock on the log meanwhile', async () => {
    const pool = database().pool;
    const hub = await createHub('retention-live', 'Retention live');
    await createWebhook(hub.id, { label: 'w', events: [EVENT], handlers: ['https://example.com/h'] });
    const ago = Date.now() - 60 * DAY_MS;
    await ensureLogPartitions(pool, { now: new Date(ago), daysAhead: 0 });
    const reader = new pg.Client({ connectionString: database().url });
    await reader.connect();
    try {
      // A transaction already reading the log: the detach waits for it to end.
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM deliveries');
      const pruning = pruneActivityLog(pool, 30 * DAY_MS);
      await waitFor(async () => {
        const { rows } = await pool.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
            WHERE query LIKE '%DETACH PARTITION%CONCURRENTLY%' AND wait_event_type = 'Lock'`,
        );
        return (rows[0]?.waiting ?? 0) > 0;
      });
      const { rows: exclusive } = await pool.query<{ relation: string }>(
        `SELECT relation::regclass::text AS relation FROM pg_locks
          WHERE mode = 'AccessExclusiveLock' AND relation IN ('deliveries'::regclass, 'events'::regclass,
                'delivery_attempts'::regclass, 'hubs'::regclass, 'webhooks'::regclass)`,
      );
      expect(exclusive).toEqual([]);
      const emitted = await emitEvent(hub.id, { name: EVENT, payload: {} });
      expect(emitted.deliveries).toHaveLength(1);

      await reader.query('ROLLBACK');
      const report = await pruning;
      expect(report?.dropped).toEqual(expect.arrayContaining(partitionsOf(ago)));
      expect(await partitionNames()).not.toContain(`deliveries_p${suffix(ago)}`);
    } finally {
      await reader.end();
    }
  });

  it('finishes days a run detached but did not drop: attached again whole when work is pending there', async () => {
    const pool = database().pool;
    const hub = await createHub('retention-leftover', 'Retention leftover');
    const webhook = await createWebhook(hub.id, { label: 'w', events: [EVENT], handlers: ['https://example.com/h'] });
    const pendingDay = Date.now() - 71 * DAY_MS;
    const doneDay = Date.now() - 70 * DAY_MS;
    await ensureLogPartitions(pool, { now: new Date(pendingDay), daysAhead: 1 });
    const pending = await insertPastDelivery(pool, {
      hubId: hub.id,
      webhookId: webhook.id,
      ms: pendingDay,
      status: 'RETRYING',
    });
    await insertPastDelivery(pool, { hubId: hub.id, webhookId: webhook.id, ms: doneDay, status: 'DELIVERED' });
    // A run stopped between its detaches and its drops (or a redeliver came in meanwhile).
    for (const ms of [pendingDay, doneDay]) {
      for (const table of partitionsOf(ms)) {
        const parent = table.slice(0, table.lastIndexOf('_p'));
        await pool.query(`ALTER TABLE ${parent} DETACH PARTITION ${table}`);
      }
    }

    const report = await pruneActivityLog(pool, 30 * DAY_MS);
    expect(report?.dropped).toEqual(expect.arrayContaining(partitionsOf(doneDay)));
    expect(report?.kept).toEqual([{ partition: `deliveries_p${suffix(pendingDay)}`, pending: 1 }]);
    expect(await partitionNames()).toEqual(expect.arrayContaining(partitionsOf(pendingDay)));
    const { rows: left } = await pool.query<{ name: string }>(
      `SELECT relname AS name FROM pg_class WHERE relname = ANY($1::text[])`,
      [partitionsOf(doneDay)],
    );
    expect(left).toEqual([]);
    expect(await prisma().delivery.findUnique({ where: { id: pending.deliveryId } })).toMatchObject({
      status: 'RETRYING',
    });
    expect(await prisma().event.count({ where: { id: pending.eventId } })).toBe(1);
  });

  it('runs in one worker at a time', async () => {
    const other = new pg.Client({ connectionString: database().url });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock(72657262)');
      expect(await pruneActivityLog(database().pool, 30 * DAY_MS)).toBeNull();
    } finally {
      await other.end();
    }
  });
});

describe('queue maintenance', () => {
  it('vacuums only the last day’s deliveries partitions, and only when the server has no autovacuum', async () => {
    const pool = database().pool;
    const now = Date.now();
    await ensureLogPartitions(pool, { now: new Date(now - 5 * DAY_MS), daysAhead: 0 });
    const vacuumed = async () =>
      (
        await pool.query<{ relname: string }>(
          `SELECT relname FROM pg_stat_user_tables WHERE relname LIKE 'deliveries_p%' AND last_vacuum IS NOT NULL`,
        )
      ).rows.map((row) => row.relname);
    // The setting is read from the server; both answers are injected so both branches run on any server.
    const { rows } = await pool.query<{ autovacuum: string }>("SELECT current_setting('autovacuum') AS autovacuum");
    expect(await serverAutovacuumOn(pool)).toBe(rows[0]?.autovacuum !== 'off');

    expect(await vacuumOutboxIfNeeded(pool, new Date(now), async () => true)).toBe(false);
    expect(await vacuumed()).toEqual([]);

    expect(await vacuumOutboxIfNeeded(pool, new Date(now), async () => false)).toBe(true);
    await waitFor(async () => (await vacuumed()).includes(`deliveries_p${suffix(now)}`));
    expect(await vacuumed()).not.toContain(`deliveries_p${suffix(now - 5 * DAY_MS)}`);
    expect(await vacuumed()).not.toContain(`deliveries_p${suffix(now + DAY_MS)}`);
  });

  it('tunes every queue partition for churn', async () => {
    const { rows } = await database().pool.query<{ name: string; options: string[] | null }>(
      `SELECT c.relname AS name, c.reloptions AS options
         FROM herald_log_partitions p JOIN pg_class c ON c.relname = p.partition WHERE p.parent = 'deliveries'`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      expect(row.options, row.name).toEqual(
        expect.arrayContaining(['fillfactor=50', 'autovacuum_vacuum_scale_factor=0.02']),
      );
    }
  });
});
