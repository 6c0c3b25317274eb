import pg from 'pg';
import { advisoryLock, whileLocked } from '../db/advisory-lock';
import { type Param, param, sql, statement } from '../db/sql';
import { pruneKeyHeads } from '../key-history/prune-key-heads';
import { LOCKS_BUSY, type LogPartition, listLogPartitions, uuidFloor, withShortLocks } from './partitions';

/**
 * The activity log is not kept forever: a day's partitions go as a whole once the day is older
 * than the retention period, never row by row (DELETE at this scale bloats the tables, and more
 * so where autovacuum is off). A day whose deliveries partition still holds a QUEUED or RETRYING
 * delivery is kept, and said so, until those are done. Per day: the deliveries partition first,
 * then its attempts, then its events, so nothing outlives its event. One worker at a time
 * (advisory lock). Each partition is detached CONCURRENTLY and then dropped, so emits, claims and
 * outcomes go on meanwhile: no step holds a lock on a table they write for longer than a catalog
 * change (see dropDetached).
 */
const RETENTION_LOCK_KEY = 72_657_262;

const RETENTION_LOCK = advisoryLock('activity-retention', RETENTION_LOCK_KEY);

export interface RetentionReport {
  /** The partitions dropped, oldest day first. */
  dropped: string[];
  /** Days kept although expired, with how many deliveries are still pending in them. */
  kept: { partition: string; pending: number }[];
  /** Partitions that could not get their locks in time (busy tables); the next run tries again. */
  postponed: string[];
  /** Keys whose latest event was dropped (lib/key-history): their next event counts as their first. */
  keyHeadsDeleted: number;
}

export async function pruneActivityLog(
  pool: pg.Pool,
  retentionMs: number,
  now: Date = new Date(),
): Promise<RetentionReport | null> {
  return whileLocked(pool, RETENTION_LOCK, async (client) => {
    const report: RetentionReport = { dropped: [], kept: [], postponed: [], keyHeadsDeleted: 0 };
    await finishDetached(client, report);
    const cutoff = now.getTime() - retentionMs;
    const expired = (await listLogPartitions(client)).filter((partition) => partition.upperMs <= cutoff);
    const days = [...new Set(expired.map((partition) => partition.upperMs))].sort((a, b) => a - b);
    for (const upperMs of days) {
      const ofDay = (parent: LogPartition['parent']) =>
        expired.find((partition) => partition.parent === parent && partition.upperMs === upperMs);
      const deliveries = ofDay('deliveries');
      if (deliveries && !(await dropDeliveries(client, deliveries.name, report))) continue;
      const attempts = ofDay('delivery_attempts');
      if (attempts) await dropPartition(client, 'delivery_attempts', attempts.name, report);
      const events = ofDay('events');
      if (events) await dropPartition(client, 'events', events.name, report);
    }
    await forgetDroppedKeys(client, report);
    return report;
  });
}

/** Key heads pointing below the oldest events partition kept (none while the unbounded first one is). */
async function forgetDroppedKeys(client: pg.PoolClient, report: RetentionReport): Promise<void> {
  const oldest = (await listLogPartitions(client)).find((partition) => partition.parent === 'events');
  if (!oldest || oldest.lowerMs === null) return;
  report.keyHeadsDeleted = await pruneKeyHeads(client, uuidFloor(oldest.lowerMs));
}

async function pendingIn(client: pg.PoolClient, table: string): Promise<number> {
  // The partial index of pending deliveries answers this without reading the day's rows. Text, as
  // it reads the partition by name, which no parameter can stand for.
  const { rows } = await client.query<{ pending: number }>(
    `SELECT count(*)::int AS pending FROM ${quote(table)} WHERE status IN ('QUEUED', 'RETRYING')`,
  );
  return rows[0]?.pending ?? 0;
}

async function dropDeliveries(client: pg.PoolClient, partition: string, report: RetentionReport): Promise<boolean> {
  const pending = await pendingIn(client, partition);
  if (pending > 0) {
    report.kept.push({ partition, pending });
    return false;
  }
  const forValues = await boundOf(client, partition);
  await detach(client, 'deliveries', partition);
  // A redeliver between the count and the detach queued a delivery in this day: it goes back.
  const queuedMeanwhile = await pendingIn(client, partition);
  if (queuedMeanwhile > 0) {
    await client.query(`ALTER TABLE deliveries ATTACH PARTITION ${quote(partition)} ${forValues}`);
    report.kept.push({ partition, pending: queuedMeanwhile });
    return false;
  }
  return dropDetached(client, partition, report);
}

async function dropPartition(
  client: pg.PoolClient,
  parent: LogPartition['parent'],
  partition: string,
  report: RetentionReport,
): Promise<boolean> {
  await detach(client, parent, partition);
  return dropDetached(client, partition, report);
}

/** A table by its quoted name, looked up as the statement runs. */
const regclass = () => param<string>('regclass');

const DETACH_STATE = statement<{ table: Param<string> }, { pending: boolean }>(
  'activity-retention-detach-state',
  { table: regclass() },
  (p) => sql`SELECT inhdetachpending AS pending FROM pg_inherits WHERE inhrelid = ${p.table}`,
);

const FOREIGN_KEYS = statement<{ table: Param<string> }, { name: string }>(
  'activity-retention-foreign-keys',
  { table: regclass() },
  (p) => sql`SELECT conname AS name FROM pg_constraint WHERE conrelid = ${p.table} AND contype = 'f'`,
);

const PARTITION_BOUND = statement<{ table: Param<string> }, { bound: string }>(
  'activity-retention-partition-bound',
  { table: regclass() },
  (p) => sql`SELECT pg_get_expr(relpartbound, oid) AS bound FROM pg_class WHERE oid = ${p.table}`,
);

/**
 * Takes a partition out of its parent with DETACH … CONCURRENTLY: it waits for the statements
 * already using the parent but holds none up, where DROP would stop every write to the table while
 * it waits. One cut short (a crash, a cancel) stays pending and is finished here (FINALIZE).
 */
async function detach(client: pg.PoolClient, parent: LogPartition['parent'], partition: string): Promise<void> {
  const { rows } = await DETACH_STATE.run(client, { table: quote(partition) });
  const state = rows[0];
  if (!state) return;
  const how = state.pending ? 'FINALIZE' : 'CONCURRENTLY';
  await client.query(`ALTER TABLE ${parent} DETACH PARTITION ${quote(partition)} ${how}`);
}

/**
 * Drops a detached partition. It still has its foreign key (deliveries to webhooks, events to hubs),
 * and dropping a table with one locks the table it refers to outright: the key goes first, on its
 * own, waiting at most DDL_LOCK_TIMEOUT_MS for that lock and holding it for a catalog change only.
 * The table then goes with nothing referring to anything, its files removed under no shared lock.
 */
async function dropDetached(client: pg.PoolClient, table: string, report: RetentionReport): Promise<boolean> {
  const { rows } = await FOREIGN_KEYS.run(client, { table: quote(table) });
  if (rows.length > 0) {
    const outcome = await withShortLocks(client, async () => {
      for (const { name } of rows) await client.query(`ALTER TABLE ${quote(table)} DROP CONSTRAINT ${quote(name)}`);
    });
    if (outcome === LOCKS_BUSY) {
      report.postponed.push(table);
      return false;
    }
  }
  await client.query(`DROP TABLE ${quote(table)}`);
  report.dropped.push(table);
  return true;
}

/** A partition's bound as ATTACH PARTITION takes it: `FOR VALUES FROM (…) TO (…)`. */
async function boundOf(client: pg.PoolClient, partition: string): Promise<string> {
  const { rows } = await PARTITION_BOUND.run(client, { table: quote(partition) });
  const found = rows[0]?.bound;
  if (!found) throw new Error(`${partition} is not a partition`);
  return found;
}

const DETACHED_DAYS = statement<
  Record<string, never>,
  { name: string; parent: LogPartition['parent']; day: string; bound: string }
>(
  'activity-retention-detached-days',
  {},
  () => sql`SELECT t.name, t.parent, t.day::text AS day,
            format('FOR VALUES FROM (%L) TO (%L)', herald_day_bound(t.day), herald_day_bound(t.day + 1)) AS bound
       FROM (SELECT c.relname::text AS name, substring(c.relname FROM '^(.*)_p[0-9]{8}$') AS parent,
                    to_date(substring(c.relname FROM '_p([0-9]{8})$'), 'YYYYMMDD') AS day
               FROM pg_class c
              WHERE c.relkind = 'r' AND NOT c.relispartition AND c.relnamespace = current_schema()::regnamespace
                AND c.relname ~ '^(events|deliveries|delivery_attempts)_p[0-9]{8}$') t
      ORDER BY t.day, array_position(ARRAY['deliveries', 'delivery_attempts', 'events'], t.parent)`,
);

/**
 * Days a run detached but did not drop (it was stopped, or a key's lock stayed busy): tables named
 * like a day's partition that are no longer one. A day whose deliveries table has pending work
 * (a redeliver that came in as it was detached) is attached again whole; the others are dropped,
 * deliveries first, as a run drops them.
 */
async function finishDetached(client: pg.PoolClient, report: RetentionReport): Promise<void> {
  const { rows } = await DETACHED_DAYS.run(client, {});
  for (const day of new Set(rows.map((row) => row.day))) {
    const tables = rows.filter((row) => row.day === day);
    const deliveries = tables.find((row) => row.parent === 'deliveries');
    const pending = deliveries ? await pendingIn(client, deliveries.name) : 0;
    if (pending > 0 && deliveries) {
      // Back among the expired days, this run reports it kept.
      for (const table of tables) {
        await client.query(`ALTER TABLE ${table.parent} ATTACH PARTITION ${quote(table.name)} ${table.bound}`);
      }
      continue;
    }
    for (const table of tables) if (!(await dropDetached(client, table.name, report))) break;
  }
}

/**
 * DDL names its tables, which no parameter can stand for, so it is text built here. Partition
 * names come from the catalog; quoted all the same.
 */
const quote = pg.escapeIdentifier;

/** One line per outcome, for the worker's log. */
export function describeRetention(report: RetentionReport): string[] {
  const lines: string[] = [];
  if (report.dropped.length > 0) lines.push(`retention dropped ${report.dropped.join(', ')}`);
  for (const { partition, pending } of report.kept) {
    lines.push(
      `retention kept ${partition}: ${pending} deliveries still queued or retrying (dropped once they are done)`,
    );
  }
  if (report.keyHeadsDeleted > 0) {
    lines.push(`retention forgot ${report.keyHeadsDeleted} keys whose latest event was dropped`);
  }
  if (report.postponed.length > 0) {
    lines.push(`retention postponed ${report.postponed.join(', ')}: tables busy, tried again next run`);
  }
  return lines;
}
