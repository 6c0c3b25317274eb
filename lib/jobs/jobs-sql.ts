import type pg from 'pg';
import {
  type Executor,
  execute,
  jsonParam,
  type Param,
  param,
  type Sql,
  type Statement,
  sql,
  statement,
} from '../db/sql';
import type { NewJob } from './define-job';

/**
 * The `jobs` and `job_schedules` tables (prisma/migrations/20261202150000_jobs), in raw SQL:
 * Prisma cannot say `FOR UPDATE SKIP LOCKED` or `ON CONFLICT … WHERE`.
 */

/** A raw pg connection or pool, or a Prisma transaction (to add jobs in a Prisma-owned transaction). */
export type JobDb = Executor;

/**
 * What happens when a job's key is taken by a job not given up: `keep` leaves that one as it is;
 * `earlier` moves it forward to this job's time if it has not started (never tried, not running),
 * for a key whose due time is recomputed (an address's next email once its interval is over).
 */
export type OnKeyTaken = 'keep' | 'earlier';

/** The key index only holds jobs not given up: a job given up for good does not block its key. */
const ON_LIVE_KEY = sql`ON CONFLICT (key) WHERE failed_at IS NULL`;
const KEEP = sql`DO NOTHING`;

function addParams() {
  return {
    jobs: jsonParam<readonly NewJob[]>('jsonb', (jobs) =>
      jobs.map((job) => ({
        kind: job.kind,
        key: job.key,
        payload: job.payload,
        run_at: job.runAt?.toISOString() ?? null,
      })),
    ),
  };
}

type AddParams = ReturnType<typeof addParams>;

function addSql(p: AddParams, onKeyTaken: Sql) {
  return sql`
INSERT INTO jobs (kind, key, payload, run_at)
SELECT j.kind, j.key, j.payload, COALESCE(j.run_at, now())
  FROM jsonb_to_recordset(${p.jobs}) AS j(kind text, key text, payload jsonb, run_at timestamptz)
${ON_LIVE_KEY} ${onKeyTaken}`;
}

const MOVE_EARLIER = sql`DO UPDATE SET run_at = LEAST(jobs.run_at, EXCLUDED.run_at)
             WHERE jobs.attempts = 0 AND jobs.lease_owner IS NULL AND EXCLUDED.run_at < jobs.run_at`;

const ADD: Record<OnKeyTaken, Statement<AddParams, pg.QueryResultRow>> = {
  keep: statement('jobs-add', addParams(), (p) => addSql(p, KEEP)),
  earlier: statement('jobs-add-earlier', addParams(), (p) => addSql(p, MOVE_EARLIER)),
};

/** Adds jobs in the caller's transaction (or alone); one per key, the first of a batch winning. */
export async function addJobs(db: JobDb, jobs: readonly NewJob[], onKeyTaken: OnKeyTaken = 'keep'): Promise<void> {
  const seen = new Set<string>();
  const first = jobs.filter((job) => job.key === null || (!seen.has(job.key) && seen.add(job.key)));
  if (first.length === 0) return;
  await execute(db, ADD[onKeyTaken], { jobs: first });
}

export interface ClaimedJob {
  id: string;
  kind: string;
  key: string | null;
  payload: unknown;
  /** This try's number, 1 the first time. */
  attempts: number;
}

const CLAIM = statement<
  {
    kinds: Param<readonly string[]>;
    leaseMs: Param<readonly number[]>;
    limit: Param<number>;
    owner: Param<string>;
  },
  ClaimedJob
>(
  'jobs-claim',
  { kinds: param('text[]'), leaseMs: param('int[]'), limit: param(), owner: param() },
  (p) => sql`
WITH kinds AS (
  SELECT * FROM unnest(${p.kinds}, ${p.leaseMs}) AS k(kind, lease_ms)
), due AS (
  SELECT j.id, k.lease_ms FROM jobs j JOIN kinds k ON k.kind = j.kind
   WHERE j.failed_at IS NULL AND j.run_at <= now() AND (j.lease_until IS NULL OR j.lease_until < now())
   ORDER BY j.run_at
   LIMIT ${p.limit}
   FOR UPDATE OF j SKIP LOCKED
)
UPDATE jobs j
   SET lease_until = now() + due.lease_ms * interval '1 millisecond', lease_owner = ${p.owner}, attempts = j.attempts + 1
  FROM due
 WHERE j.id = due.id
RETURNING j.id, j.kind, j.key, j.payload, j.attempts`,
);
/** Claims due jobs of the kinds this worker runs, each held for its kind's lease. */
export async function claimJobs(
  pool: pg.Pool,
  kinds: readonly { kind: string; leaseMs: number }[],
  limit: number,
  owner: string,
): Promise<ClaimedJob[]> {
  const { rows } = await CLAIM.run(pool, {
    kinds: kinds.map((k) => k.kind),
    leaseMs: kinds.map((k) => k.leaseMs),
    limit,
    owner,
  });
  return rows;
}

type Lease = Pick<ClaimedJob, 'id' | 'attempts'>;

function leaseParams() {
  return { id: param<string>(), owner: param<string>(), attempts: param<number>() };
}

type LeaseParams = ReturnType<typeof leaseParams>;

const lease = (job: Lease, owner: string) => ({ id: job.id, owner, attempts: job.attempts });

/** Guarded by the lease, so a worker whose lease ran out cannot touch what another now holds. */
const leaseGuard = (p: LeaseParams) => sql`id = ${p.id} AND lease_owner = ${p.owner} AND attempts = ${p.attempts}`;
const UNLEASED = sql`lease_until = NULL, lease_owner = NULL`;

const FINISH = statement('jobs-finish', leaseParams(), (p) => sql`DELETE FROM jobs WHERE ${leaseGuard(p)}`);

const RETRY = statement(
  'jobs-retry',
  { ...leaseParams(), error: param<string>(), inMs: param<number>() },
  (p) =>
    sql`UPDATE jobs SET ${UNLEASED}, last_error = ${p.error}, run_at = now() + ${p.inMs} * interval '1 millisecond' WHERE ${leaseGuard(p)}`,
);

const GIVE_UP = statement(
  'jobs-give-up',
  { ...leaseParams(), error: param<string>() },
  (p) => sql`UPDATE jobs SET ${UNLEASED}, last_error = ${p.error}, failed_at = now() WHERE ${leaseGuard(p)}`,
);

const RUN_AGAIN_AT = statement(
  'jobs-run-again-at',
  { ...leaseParams(), at: param<Date>() },
  (p) => sql`UPDATE jobs SET ${UNLEASED}, attempts = 0, last_error = NULL, run_at = ${p.at} WHERE ${leaseGuard(p)}`,
);

const RELEASE = statement(
  'jobs-release',
  leaseParams(),
  (p) => sql`UPDATE jobs SET ${UNLEASED}, attempts = attempts - 1 WHERE ${leaseGuard(p)}`,
);

export async function finishJob(pool: pg.Pool, job: Lease, owner: string): Promise<void> {
  await FINISH.run(pool, lease(job, owner));
}

export async function retryJob(pool: pg.Pool, job: Lease, owner: string, error: string, inMs: number): Promise<void> {
  await RETRY.run(pool, { ...lease(job, owner), error: error.slice(0, 2000), inMs });
}

export async function giveUpJob(pool: pg.Pool, job: Lease, owner: string, error: string): Promise<void> {
  await GIVE_UP.run(pool, { ...lease(job, owner), error: error.slice(0, 2000) });
}

/** Not a failure: the job asked to run again later, with its tries counted afresh. */
export async function runJobAgainAt(pool: pg.Pool, job: Lease, owner: string, at: Date): Promise<void> {
  await RUN_AGAIN_AT.run(pool, { ...lease(job, owner), at });
}

/** Lets go of jobs claimed but not started (a stop), so no one waits for their lease. */
export async function releaseJobs(pool: pg.Pool, jobs: readonly Lease[], owner: string): Promise<void> {
  for (const job of jobs) await RELEASE.run(pool, lease(job, owner));
}

const REGISTER_SCHEDULES = statement(
  'jobs-register-schedules',
  { names: param<readonly string[]>('text[]') },
  (p) => sql`INSERT INTO job_schedules (name, next_run_at) SELECT unnest(${p.names}), now() ON CONFLICT DO NOTHING`,
);

/** Periodic kinds seen for the first time are due at once. */
export async function registerSchedules(pool: pg.Pool, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await REGISTER_SCHEDULES.run(pool, { names });
}

/**
 * For each periodic kind that is due, moves its schedule to the start of the next period and adds
 * this period's job, keyed `kind@<period start in ms>`. Two workers moving the same schedule at
 * once: the second's UPDATE waits for the first, then finds it no longer due. So each period's
 * job is added once across all workers, and its key would refuse a second anyway.
 */
const ADD_DUE_PERIODIC = statement(
  'jobs-add-due-periodic',
  { kinds: param<readonly string[]>('text[]'), everyMs: param<readonly number[]>('bigint[]') },
  (p) => sql`
WITH periodic AS (
  SELECT * FROM unnest(${p.kinds}, ${p.everyMs}) AS p(name, every_ms)
), moved AS (
  UPDATE job_schedules s
     SET next_run_at = to_timestamp((floor(extract(epoch FROM now()) * 1000 / p.every_ms) + 1) * p.every_ms / 1000.0)
    FROM periodic p
   WHERE s.name = p.name AND s.next_run_at <= now()
  RETURNING s.name, (floor(extract(epoch FROM now()) * 1000 / p.every_ms) * p.every_ms)::bigint AS period
)
INSERT INTO jobs (kind, key, payload)
SELECT name, name || '@' || period, '{}' FROM moved
${ON_LIVE_KEY} ${KEEP}`,
);

export async function addDuePeriodicJobs(
  pool: pg.Pool,
  periodic: readonly { kind: string; everyMs: number }[],
): Promise<number> {
  if (periodic.length === 0) return 0;
  const { rowCount } = await ADD_DUE_PERIODIC.run(pool, {
    kinds: periodic.map((p) => p.kind),
    everyMs: periodic.map((p) => p.everyMs),
  });
  return rowCount ?? 0;
}

const PRUNE_FAILED = statement(
  'jobs-prune-failed',
  { retentionMs: param<number>() },
  (p) => sql`DELETE FROM jobs WHERE failed_at < now() - ${p.retentionMs} * interval '1 millisecond'`,
);

/** Jobs given up longer ago than this are deleted (their errors were logged when they gave up). */
export async function pruneFailedJobs(pool: pg.Pool, retentionMs: number): Promise<number> {
  const { rowCount } = await PRUNE_FAILED.run(pool, { retentionMs });
  return rowCount ?? 0;
}
