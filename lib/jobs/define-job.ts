import { z } from 'zod';

/**
 * The kinds of work that are not deliveries, declared in one shape: a type (a name and a zod
 * schema for the payload, what adding a job needs) and a handler (what running it does, and for
 * a periodic kind how often it runs across all workers). Retry and lease defaults live here, once,
 * for every kind.
 */

/** What a run may answer instead of "done": not a failure, just "not yet, come back then". */
export type JobOutcome = undefined | { runAgainAt: Date };

export interface RunningJob {
  id: string;
  /** A periodic job's is `kind@<period start in ms>`. */
  key: string | null;
  /** 1 on the first try. */
  attempt: number;
  maxAttempts: number;
}

/** A kind's name and payload: enough to add its jobs, where the code that runs them is not needed. */
export interface JobType<P> {
  kind: string;
  payload: z.ZodType<P>;
  /** A job of this kind to add (lib/jobs/jobs-sql.ts addJobs), its payload checked now rather than when it runs. */
  job(payload: P, options?: { key?: string; runAt?: Date }): NewJob;
}

/** How a kind runs, given where it runs (a worker's pool, its mailer…). */
export interface JobHandler<P> {
  run(payload: P, job: RunningJob): Promise<JobOutcome>;
  /** A periodic kind: one job per period of this many ms (aligned to the epoch) across all workers. */
  everyMs?: number;
  /** How long a claimed job is held; it must outlast the run, or another worker runs it too. */
  leaseMs?: number;
  /** Tries before the job is given up (kept, with its error, until pruned). */
  maxAttempts?: number;
  /** The first retry waits baseMs, doubling up to maxMs. */
  retry?: { baseMs: number; maxMs: number };
  /** Called once when the job is given up, so its domain can record how it ended. */
  giveUp?(payload: P, error: string): Promise<void>;
}

export const JOB_DEFAULTS = {
  leaseMs: 5 * 60_000,
  maxAttempts: 10,
  retry: { baseMs: 10_000, maxMs: 3_600_000 },
} as const;

/** A payload its kind's schema refuses: retrying cannot help, the job is given up at once. */
export class InvalidJobPayloadError extends Error {
  constructor(kind: string, issues: z.core.$ZodIssue[]) {
    const first = issues[0];
    super(`job ${kind}: payload ${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'is not valid'}`);
    this.name = 'InvalidJobPayloadError';
  }
}

/** A kind as the runner holds it: its payload still unknown until its schema has read it. */
export interface RegisteredJob {
  kind: string;
  everyMs: number | undefined;
  leaseMs: number;
  maxAttempts: number;
  backoffMs(attempt: number): number;
  run(payload: unknown, job: RunningJob): Promise<JobOutcome>;
  giveUp(payload: unknown, error: string): Promise<void>;
}

/** A job to add (lib/jobs/jobs-sql.ts addJobs). */
export interface NewJob {
  kind: string;
  key: string | null;
  payload: unknown;
  runAt: Date | null;
}

function parser<P>(kind: string, schema: z.ZodType<P>): (payload: unknown) => P {
  return (payload) => {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw new InvalidJobPayloadError(kind, parsed.error.issues);
    return parsed.data;
  };
}

export function jobType<P>(kind: string, payload: z.ZodType<P>): JobType<P> {
  const parse = parser(kind, payload);
  return {
    kind,
    payload,
    job: (value, options = {}) => ({
      kind,
      key: options.key ?? null,
      payload: parse(value),
      runAt: options.runAt ?? null,
    }),
  };
}

export function defineJob<P>(type: JobType<P>, handler: JobHandler<P>): RegisteredJob {
  const retry = handler.retry ?? JOB_DEFAULTS.retry;
  const parse = parser(type.kind, type.payload);
  return {
    kind: type.kind,
    everyMs: handler.everyMs,
    leaseMs: handler.leaseMs ?? JOB_DEFAULTS.leaseMs,
    maxAttempts: handler.maxAttempts ?? JOB_DEFAULTS.maxAttempts,
    backoffMs: (attempt) => Math.min(retry.maxMs, retry.baseMs * 2 ** Math.max(0, attempt - 1)),
    run: (payload, job) => handler.run(parse(payload), job),
    giveUp: async (payload, error) => {
      const parsed = type.payload.safeParse(payload);
      if (parsed.success) await handler.giveUp?.(parsed.data, error);
    },
  };
}

const NO_PAYLOAD = z.object({}).strict();

/**
 * Work done once per period across all workers (upkeep): no payload, and a failure is retried a
 * few times, then left to the next period.
 */
export function periodicJob(
  kind: string,
  everyMs: number,
  run: () => Promise<void>,
  options: Pick<JobHandler<unknown>, 'leaseMs' | 'maxAttempts' | 'retry'> = {},
): RegisteredJob {
  return defineJob(jobType(kind, NO_PAYLOAD), {
    run: async () => {
      await run();
      return undefined;
    },
    everyMs,
    leaseMs: options.leaseMs,
    maxAttempts: options.maxAttempts ?? 3,
    retry: options.retry ?? { baseMs: 30_000, maxMs: 5 * 60_000 },
  });
}
