import type pg from 'pg';
import type { NewJob } from './define-job';

/**
 * The `jobs` and `job_schedules` tables (prisma/migrations/20261202150000_jobs), in raw SQL:
 * Prisma cannot say `FOR UPDATE SKIP LOCKED` or `ON CONFLICT … WHERE`.
 */

/** A raw pg connection or pool, or a Prisma transaction (to add jobs in a Prisma-owned transaction). */
export type JobDb =
  | Pick<pg.ClientBase, 'query'>
  | Pick<pg.Pool, 'query'>
  | { $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number> };

/**
 * What happens when a job's key is taken by a job not given up: `keep` leaves that one as it is;
 * `earlier` moves it forward to this job's time if it has not started (never tried, not running),
 * for a key whose due time is recomputed (an address's next email once its interval is over).
 */
export type OnKeyTaken = 'keep' | 'earlier';

const ADD_SQL = `
INSERT INTO jobs (kind, key, payload, run_at)
SELECT j.kind, j.key, j.payload, COALESCE(j.run_at, now())
  FROM jsonb_to_recordset($1::jsonb) AS j(kind text, key text, payload jsonb, run_at timestamptz)
ON CONFLICT (key) WHERE failed_at IS NULL`;

const ON_KEY_TAKEN: Record<OnKeyTaken, string> = {
  keep: 'DO NOTHING',
  earlier: `DO UPDATE SET run_at = LEAST(jobs.run_at, EXCLUDED.run_at)
             WHERE jobs.attempts = 0 AND jobs.lease_owner IS NULL AND EXCLUDED.run_at < jobs.run_at`,
};

/** Adds jobs in the caller's transaction (or alone); one per key, the first of a batch winning. */
export async function addJobs(db: JobDb, jobs: readonly NewJob[], onKeyTaken: OnKeyTaken = 'keep'): Promise<void> {
  const seen = new Set<string>();
  const rows = jobs
    .filter((job) => job.key === null || (!seen.has(job.key) && seen.add(job.key)))
    .map((job) => ({ kind: job.kind, key: job.key, payload: job.payload, run_at: job.runAt?.toISOString() ?? null }));
  if (rows.length === 0) return;
  const sql = `${ADD_SQL} ${ON_KEY_TAKEN[onKeyTaken]}`;
  const json = JSON.stringify(rows);
  if ('$executeRawUnsafe' in db) await db.$executeRawUnsafe(sql, json);
  else await db.query(sql, [json]);
}

export interface ClaimedJob {
  id: string;
  kind: string;
  key: string | null;
  payload: unknown;
  /** This try's number, 1 the first time. */
  attempts: number;
}

const CLAIM_SQL = `
WITH kinds AS (
  SELECT * FROM unnest($1::text[], $2::int[]) AS k(kind, lease_ms)
), due AS (
  SELECT j.id, k.lease_ms FROM jobs j JOIN kinds k ON k.kind = j.kind
   WHERE j.failed_at IS NULL AND j.run_at <= now() AND (j.lease_until IS NULL OR j.lease_until < now())
   ORDER BY j.run_at
   LIMIT $3
   FOR UPDATE OF j SKIP LOCKED
)
UPDATE jobs j
   SET lease_until = now() + due.lease_ms * interval '1 millisecond', lease_owner = $4, attempts = j.attempts + 1
  FROM due
 WHERE j.id = due.id
RETURNING j.id, j.kind, j.key, j.payload, j.attempts`;

/** Claims due jobs of the kinds this worker runs, each held for its kind's lease. */
export async function claimJobs(
  pool: pg.Pool,
  kinds: readonly { kind: string; leaseMs: number }[],
  limit: number,
  owner: string,
): Promise<ClaimedJob[]> {
  const { rows } = await pool.query<ClaimedJob>(CLAIM_SQL, [
    kinds.map((k) => k.kind),
    kinds.map((k) => k.leaseMs),
    limit,
    owner,
  ]);
  return rows;
}

/** Guarded by the lease, so a worker whose lease ran out cannot touch what another now holds. */
const LEASE_GUARD = 'id = $1 AND lease_owner = $2 AND attempts = $3';
const UNLEASED = 'lease_until = NULL, lease_owner = NULL';

type Lease = Pick<ClaimedJob, 'id' | 'attempts'>;
const guard = (job: Lease, owner: string) => [job.id, owner, job.attempts];

export async function finishJob(pool: pg.Pool, job: Lease, owner: string): Promise<void> {
  await pool.query(`DELETE FROM jobs WHERE ${LEASE_GUARD}`, guard(job, owner));
}

export async function retryJob(pool: pg.Pool, job: Lease, owner: string, error: string, inMs: number): Promise<void> {
  await pool.query(
    `UPDATE jobs SET ${UNLEASED}, last_error = $4, run_at = now() + $5 * interval '1 millisecond' WHERE ${LEASE_GUARD}`,
    [...guard(job, owner), error.slice(0, 2000), inMs],
  );
}

export async function giveUpJob(pool: pg.Pool, job: Lease, owner: string, error: string): Promise<void> {
  await pool.query(`UPDATE jobs SET ${UNLEASED}, last_error = $4, failed_at = now() WHERE ${LEASE_GUARD}`, [
    ...guard(job, owner),
    error.slice(0, 2000),
  ]);
}

/** Not a failure: the job asked to run again later, with its tries counted afresh. */
export async function runJobAgainAt(pool: pg.Pool, job: Lease, owner: string, at: Date): Promise<void> {
  await pool.query(`UPDATE jobs SET ${UNLEASED}, attempts = 0, last_error = NULL, run_at = $4 WHERE ${LEASE_GUARD}`, [
    ...guard(job, owner),
    at,
  ]);
}

/** Lets go of jobs claimed but not started (a stop), so no one waits for their lease. */
export async function releaseJobs(pool: pg.Pool, jobs: readonly Lease[], owner: string): Promise<void> {
  for (const job of jobs) {
    await pool.query(`UPDATE jobs SET ${UNLEASED}, attempts = attempts - 1 WHERE ${LEASE_GUARD}`, guard(job, owner));
  }
}

/** Periodic kinds seen for the first time are due at once. */
export async function registerSchedules(pool: pg.Pool, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await pool.query(
    'INSERT INTO job_schedules (name, next_run_at) SELECT unnest($1::text[]), now() ON CONFLICT DO NOTHING',
    [names],
  );
}

/**
 * For each periodic kind that is due, moves its schedule to the start of the next period and adds
 * this period's job, keyed `kind@<period start in ms>`. Two workers moving the same schedule at
 * once: the second's UPDATE waits for the first, then finds it no longer due. So each period's
 * job is added once across all workers, and its key would refuse a second anyway.
 */
const SCHEDULE_SQL = `
WITH periodic AS (
  SELECT * FROM unnest($1::text[], $2::bigint[]) AS p(name, every_ms)
), moved AS (
  UPDATE job_schedules s
     SET next_run_at = to_timestamp((floor(extract(epoch FROM now()) * 1000 / p.every_ms) + 1) * p.every_ms / 1000.0)
    FROM periodic p
   WHERE s.name = p.name AND s.next_run_at <= now()
  RETURNING s.name, (floor(extract(epoch FROM now()) * 1000 / p.every_ms) * p.every_ms)::bigint AS period
)
INSERT INTO jobs (kind, key, payload)
SELECT name, name || '@' || period, '{}' FROM moved
ON CONFLICT (key) WHERE failed_at IS NULL DO NOTHING`;

export async function addDuePeriodicJobs(
  pool: pg.Pool,
  periodic: readonly { kind: string; everyMs: number }[],
): Promise<number> {
  if (periodic.length === 0) return 0;
  const { rowCount } = await pool.query(SCHEDULE_SQL, [periodic.map((p) => p.kind), periodic.map((p) => p.everyMs)]);
  return rowCount ?? 0;
}

/** Jobs given up longer ago than this are deleted (their errors were logged when they gave up). */
export async function pruneFailedJobs(pool: pg.Pool, retentionMs: number): Promise<number> {
  const { rowCount } = await pool.query(`DELETE FROM jobs WHERE failed_at < now() - $1 * interval '1 millisecond'`, [
    retentionMs,
  ]);
  return rowCount ?? 0;
}
