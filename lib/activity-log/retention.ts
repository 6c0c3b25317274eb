import type pg from 'pg';
import { LOCKS_BUSY, type LogPartition, listLogPartitions, withShortLocks } from '../outbox/partitions';

/**
 * The activity log is not kept forever: a day's partitions go as a whole once the day is older
 * than the retention period, never row by row (DELETE at this scale bloats the tables, and more
 * so where autovacuum is off). A day whose deliveries partition still holds a QUEUED or RETRYING
 * delivery is kept, and said so, until those are done. Per day: the deliveries partition first
 * (checked and dropped under its parent's lock, so a redeliver cannot slip in between), then its
 * attempts, then its events, so nothing outlives its event. One worker at a time (advisory lock).
 * Dropping a partition locks its parent for a moment (deliveries and events have foreign keys to
 * webhooks and hubs, whose detached copies would lock those instead): each waits at most
 * DDL_LOCK_TIMEOUT_MS for it, so writes never queue behind a drop for longer.
 */
const RETENTION_LOCK_KEY = 72_657_262;

export interface RetentionReport {
  /** The partitions dropped, oldest day first. */
  dropped: string[];
  /** Days kept although expired, with how many deliveries are still pending in them. */
  kept: { partition: string; pending: number }[];
  /** Partitions that could not get their locks in time (busy tables); the next run tries again. */
  postponed: string[];
}

export async function pruneActivityLog(
  pool: pg.Pool,
  retentionMs: number,
  now: Date = new Date(),
): Promise<RetentionReport | null> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      RETENTION_LOCK_KEY,
    ]);
    if (!rows[0]?.locked) return null;
    try {
      const report: RetentionReport = { dropped: [], kept: [], postponed: [] };
      const cutoff = now.getTime() - retentionMs;
      const expired = (await listLogPartitions(client)).filter((partition) => partition.upperMs <= cutoff);
      const days = [...new Set(expired.map((partition) => partition.upperMs))].sort((a, b) => a - b);
      for (const upperMs of days) {
        const ofDay = (parent: LogPartition['parent']) =>
          expired.find((partition) => partition.parent === parent && partition.upperMs === upperMs);
        const deliveries = ofDay('deliveries');
        if (deliveries && !(await dropDeliveries(client, deliveries.name, report))) continue;
        const attempts = ofDay('delivery_attempts');
        if (attempts) await dropAttempts(client, attempts.name, report);
        const events = ofDay('events');
        if (events) await dropPartition(client, events.name, report);
      }
      return report;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

async function pendingIn(client: pg.PoolClient, partition: string): Promise<number> {
  // The partial index of pending deliveries answers this without reading the day's rows.
  const { rows } = await client.query<{ pending: number }>(
    `SELECT count(*)::int AS pending FROM ${quote(partition)} WHERE status IN ('QUEUED', 'RETRYING')`,
  );
  return rows[0]?.pending ?? 0;
}

async function dropDeliveries(client: pg.PoolClient, partition: string, report: RetentionReport): Promise<boolean> {
  // Asked first without a lock, so a day that stays pending for hours costs no lock at all.
  const pending = await pendingIn(client, partition);
  if (pending > 0) {
    report.kept.push({ partition, pending });
    return false;
  }
  const outcome = await withShortLocks(client, async () => {
    // The parent's lock (DROP takes it anyway) stops every write to its partitions, so the
    // answer cannot change before the drop.
    await client.query('LOCK TABLE ONLY deliveries IN ACCESS EXCLUSIVE MODE');
    const stillPending = await pendingIn(client, partition);
    if (stillPending === 0) await client.query(`DROP TABLE ${quote(partition)}`);
    return stillPending;
  });
  if (outcome === LOCKS_BUSY) report.postponed.push(partition);
  else if (outcome > 0) report.kept.push({ partition, pending: outcome });
  else report.dropped.push(partition);
  return outcome === 0;
}

/**
 * Attempts have no foreign key, so their day can be detached CONCURRENTLY: that waits for the
 * statements already using the table but holds none up, where DROP would stop every write to
 * delivery_attempts while it waits. A detach cut short (a crash) is finished the next time.
 */
async function dropAttempts(client: pg.PoolClient, partition: string, report: RetentionReport): Promise<void> {
  const { rows } = await client.query<{ pending: boolean }>(
    `SELECT inhdetachpending AS pending FROM pg_inherits WHERE inhrelid = $1::regclass`,
    [quote(partition)],
  );
  const how = rows[0]?.pending ? 'FINALIZE' : 'CONCURRENTLY';
  await client.query(`ALTER TABLE delivery_attempts DETACH PARTITION ${quote(partition)} ${how}`);
  await client.query(`DROP TABLE ${quote(partition)}`);
  report.dropped.push(partition);
}

async function dropPartition(client: pg.PoolClient, partition: string, report: RetentionReport): Promise<boolean> {
  const outcome = await withShortLocks(client, () => client.query(`DROP TABLE ${quote(partition)}`));
  if (outcome === LOCKS_BUSY) report.postponed.push(partition);
  else report.dropped.push(partition);
  return outcome !== LOCKS_BUSY;
}

/** Partition names come from the catalog; quoted all the same. */
function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** One line per outcome, for the worker's log. */
export function describeRetention(report: RetentionReport): string[] {
  const lines: string[] = [];
  if (report.dropped.length > 0) lines.push(`retention dropped ${report.dropped.join(', ')}`);
  for (const { partition, pending } of report.kept) {
    lines.push(
      `retention kept ${partition}: ${pending} deliveries still queued or retrying (dropped once they are done)`,
    );
  }
  if (report.postponed.length > 0) {
    lines.push(`retention postponed ${report.postponed.join(', ')}: tables busy, tried again next run`);
  }
  return lines;
}
