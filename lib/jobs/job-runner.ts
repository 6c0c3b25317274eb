import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type pg from 'pg';
import { errorMessage } from '../errors';
import { InvalidJobPayloadError, type RegisteredJob } from './define-job';
import {
  addDuePeriodicJobs,
  type ClaimedJob,
  claimJobs,
  finishJob,
  giveUpJob,
  registerSchedules,
  releaseJobs,
  retryJob,
  runJobAgainAt,
} from './jobs-sql';

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface JobRunnerOptions {
  pool: pg.Pool;
  /** Every kind this worker runs; a kind left out (emails without a mail server) waits for a worker that has it. */
  jobs: readonly RegisteredJob[];
  /** Jobs run at once. */
  concurrency?: number;
  /** How often to look for due jobs when none finished meanwhile. */
  pollIntervalMs?: number;
  log: Log;
}

/**
 * The one loop for work that is not a delivery: adds the periodic jobs that are due (once across
 * all workers), claims due jobs of its kinds with a lease, runs them, and records each end: done
 * (deleted), "run again at" (a job that waits on something, not a failure), a retry after backoff,
 * or given up once out of tries. A job's failure is that job's alone; a failing database only
 * slows the loop down (with backoff). Delivery is at least once: a worker that dies mid-run leaves
 * the lease to expire and the job to run again, so a job must be safe to run twice.
 */
export class JobRunner {
  readonly owner = `${os.hostname().slice(0, 32)}:${process.pid}:jobs:${randomBytes(3).toString('hex')}`;
  private readonly byKind: Map<string, RegisteredJob>;
  private readonly concurrency: number;
  private readonly pollIntervalMs: number;
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | null = null;

  constructor(private readonly options: JobRunnerOptions) {
    this.byKind = new Map(options.jobs.map((job) => [job.kind, job]));
    if (this.byKind.size !== options.jobs.length) throw new Error('two job kinds share a name');
    this.concurrency = options.concurrency ?? 4;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Look for due jobs now (one was just added). */
  wake(): void {
    this.wakeUp?.();
  }

  /**
   * Stops claiming and waits up to `graceMs` for the jobs running; any still running after that
   * keep their lease, which expires, and run again elsewhere.
   */
  async stop(graceMs = 30_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loopDone;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), graceMs);
    });
    if ((await Promise.race([Promise.all(this.inFlight), expired])) === 'expired') {
      this.options.log('warn', `stopping with ${this.inFlight.size} jobs still running; their leases will expire`);
    }
    clearTimeout(timer);
  }

  private async loop(): Promise<void> {
    const { pool, log } = this.options;
    const kinds = [...this.byKind.values()];
    const periodic = kinds.flatMap((job) => (job.everyMs ? [{ kind: job.kind, everyMs: job.everyMs }] : []));
    let registered = false;
    let failures = 0;
    while (this.running) {
      try {
        if (!registered) {
          await registerSchedules(
            pool,
            periodic.map((p) => p.kind),
          );
          registered = true;
        }
        await addDuePeriodicJobs(pool, periodic);
        const free = this.concurrency - this.inFlight.size;
        if (free > 0) {
          const claimed = await claimJobs(pool, kinds, free, this.owner);
          if (!this.running) {
            await releaseJobs(pool, claimed, this.owner);
            return;
          }
          for (const job of claimed) this.track(this.execute(job));
        }
        failures = 0;
      } catch (error) {
        failures++;
        log('error', `jobs: ${errorMessage(error)}; retrying`);
      }
      await this.sleep(failures > 0 ? Math.min(60_000, this.pollIntervalMs * 2 ** failures) : this.pollIntervalMs);
    }
  }

  private track(run: Promise<void>): void {
    this.inFlight.add(run);
    void run.finally(() => {
      this.inFlight.delete(run);
      // A slot is free: look again at once rather than after a poll interval.
      this.wake();
    });
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const { pool, log } = this.options;
    const kind = this.byKind.get(job.kind);
    if (!kind) return; // Not reached: the claim only takes kinds this runner has.
    try {
      const outcome = await kind.run(job.payload, {
        id: job.id,
        key: job.key,
        attempt: job.attempts,
        maxAttempts: kind.maxAttempts,
      });
      if (outcome) await runJobAgainAt(pool, job, this.owner, outcome.runAgainAt);
      else await finishJob(pool, job, this.owner);
    } catch (error) {
      await this.failed(kind, job, errorMessage(error), error instanceof InvalidJobPayloadError).catch((recordError) =>
        // The lease will expire and the job run again: at least once.
        log('error', `job ${job.kind} ${job.id}: recording its failure failed (${errorMessage(recordError)})`),
      );
    }
  }

  private async failed(kind: RegisteredJob, job: ClaimedJob, error: string, hopeless: boolean): Promise<void> {
    const { pool, log } = this.options;
    if (hopeless || job.attempts >= kind.maxAttempts) {
      log('error', `job ${job.kind} ${job.id} failed: ${error}; giving up after ${job.attempts} tries`);
      await kind
        .giveUp(job.payload, error)
        .catch((hookError) => log('error', `job ${job.kind} ${job.id}: ${errorMessage(hookError)}`));
      await giveUpJob(pool, job, this.owner, error);
      return;
    }
    const retryInMs = kind.backoffMs(job.attempts);
    log('warn', `job ${job.kind} ${job.id} failed: ${error}; retrying in ${Math.round(retryInMs / 1000)} s`);
    await retryJob(pool, job, this.owner, error, retryInMs);
  }

  private async sleep(ms: number): Promise<void> {
    if (!this.running) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = null;
  }
}
