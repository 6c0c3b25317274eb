import type pg from 'pg';
import { advisoryLock, whileLocked } from '../db/advisory-lock';
import { type Param, param, type Queryable, sql, statement } from '../db/sql';
import { inTransaction } from '../db/transaction';

/**
 * The activity log's day partitions (prisma/migrations/20261125090000_partition_activity_log):
 * events, deliveries and delivery_attempts are partitioned by RANGE on uuid7 ids, one UTC day per
 * partition, the three tables' partitions aligned. Workers create them ahead and retention drops
 * them. Their DDL names partitions, which no parameter can stand for: that is built as text here
 * and in retention.ts, the rest are statements.
 */

export const LOG_TABLES = ['events', 'deliveries', 'delivery_attempts'] as const;
export type LogTable = (typeof LOG_TABLES)[number];

export const DAY_MS = 86_400_000;

export interface LogPartition {
  parent: LogTable;
  name: string;
  /** Ids from this time (ms) on; null for the first partition, which has no lower bound. */
  lowerMs: number | null;
  /** Ids before this time (ms). */
  upperMs: number;
}

/** The time of a uuid7 id: its first 48 bits, in ms since the epoch. */
export function uuidTime(id: string): number {
  return Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
}

/** The smallest uuid of a millisecond (the time, then zeros), as herald_day_bound() writes bounds. */
export function uuidFloor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

/** The UTC day of a time, as a date literal PostgreSQL reads (YYYY-MM-DD). */
export function utcDay(ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

const LIST_PARTITIONS = statement<
  Record<string, never>,
  { parent: LogTable; partition: string; lower: string | null; upper: string }
>(
  'activity-partitions-list',
  {},
  () => sql`SELECT parent, partition, lower::text, upper::text FROM herald_log_partitions ORDER BY upper, parent`,
);

export async function listLogPartitions(db: Queryable): Promise<LogPartition[]> {
  const { rows } = await LIST_PARTITIONS.run(db, {});
  return rows.map((row) => ({
    parent: row.parent,
    name: row.partition,
    lowerMs: row.lower === null ? null : uuidTime(row.lower),
    upperMs: uuidTime(row.upper),
  }));
}

/** DDL waits at most this long for a lock, then gives way and tries again: queries never queue behind it for longer. */
export const DDL_LOCK_TIMEOUT_MS = 100;
const DDL_TRIES = 10;

function isLockTimeout(error: unknown): boolean {
  return (error as { code?: string }).code === '55P03';
}

/** What withShortLocks returns when every try ran out of time. */
export const LOCKS_BUSY = Symbol('locks busy');

/**
 * Runs `work` on `client` in one transaction whose locks are waited for at most
 * DDL_LOCK_TIMEOUT_MS, and tries again (a few times, after a short pause) when that runs out.
 */
export async function withShortLocks<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T | typeof LOCKS_BUSY> {
  for (let attempt = 1; attempt <= DDL_TRIES; attempt++) {
    try {
      return await inTransaction(client, async (tx) => {
        // SET takes no parameters; the text is built from the constant above.
        await tx.query(`SET LOCAL lock_timeout = ${DDL_LOCK_TIMEOUT_MS}`);
        return work();
      });
    } catch (error) {
      if (!isLockTimeout(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100 * attempt));
    }
  }
  return LOCKS_BUSY;
}

// One process at a time creates partitions (ATTACH of the same day by two would make one fail).
const PARTITION_LOCK_KEY = 72_657_263;

const PARTITION_LOCK = advisoryLock('activity-partitions', PARTITION_LOCK_KEY);

const CREATE_PARTITIONS = statement<{ day: Param<string> }, { name: string }>(
  'activity-partitions-create',
  { day: param('date') },
  (p) => sql`SELECT herald_create_log_partitions(${p.day}) AS name`,
);

export interface EnsureResult {
  created: string[];
  /** Days whose partitions could not get their locks in time; the next run tries again. */
  postponed: string[];
}

/**
 * Makes sure today's (UTC) partitions and those of the next `daysAhead` days exist. Null when
 * another process is at it. Attaching a partition clones its foreign keys, which holds writes to
 * hubs and webhooks (an emit's sequence update) for a moment: hence days ahead, and short locks.
 */
export async function ensureLogPartitions(
  pool: pg.Pool,
  { now = new Date(), daysAhead = 2 }: { now?: Date; daysAhead?: number } = {},
): Promise<EnsureResult | null> {
  return whileLocked(pool, PARTITION_LOCK, async (client) => {
    const result: EnsureResult = { created: [], postponed: [] };
    for (let offset = 0; offset <= daysAhead; offset++) {
      const day = utcDay(now.getTime() + offset * DAY_MS);
      const created = await withShortLocks(client, async () => {
        const { rows: names } = await CREATE_PARTITIONS.run(client, { day });
        return names.map((row) => row.name);
      });
      if (created === LOCKS_BUSY) result.postponed.push(day);
      else result.created.push(...created);
    }
    return result;
  });
}
