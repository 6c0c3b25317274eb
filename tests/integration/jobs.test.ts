import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { database } from '../../lib/db/client';
import { defineJob, jobType, periodicJob, type RegisteredJob } from '../../lib/jobs/define-job';
import { JobRunner } from '../../lib/jobs/job-runner';
import { addJobs } from '../../lib/jobs/jobs-sql';
import { waitFor } from '../support/wait';

const runners: JobRunner[] = [];

function startRunner(jobs: RegisteredJob[], concurrency = 4): JobRunner {
  const runner = new JobRunner({ pool: database().pool, jobs, concurrency, pollIntervalMs: 20, log: () => undefined });
  runner.start();
  runners.push(runner);
  return runner;
}

async function jobRows(kind: string) {
  const { rows } = await database().pool.query<{
    key: string | null;
    attempts: number;
    last_error: string | null;
    failed_at: Date | null;
    run_at: Date;
  }>('SELECT key, attempts, last_error, failed_at, run_at FROM jobs WHERE kind = $1', [kind]);
  return rows;
}

afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});

describe('the job mechanism', () => {
  it('runs each job once across two loops, and a key admits one job while it waits', async () => {
    const type = jobType('count-once', z.object({ n: z.number().int() }));
    const runs: { n: number; runner: string }[] = [];
    const kind = (runner: string) =>
      defineJob(type, {
        run: async ({ n }) => {
          runs.push({ n, runner });
          // Each loop's jobs wait until the other loop has run one: both take part, neither twice.
          await waitFor(() => runs.some((run) => run.runner !== runner), { what: 'the other loop to run a job' });
          return undefined;
        },
      });
    const jobs = Array.from({ length: 40 }, (_, n) => type.job({ n }, { key: `count-once:${n}` }));
    await addJobs(database().pool, [...jobs, type.job({ n: 0 }, { key: 'count-once:0' })]);
    await addJobs(database().pool, [type.job({ n: 1 }, { key: 'count-once:1' })]);
    expect(await jobRows('count-once')).toHaveLength(40);

    startRunner([kind('a')], 2);
    startRunner([kind('b')], 2);
    await waitFor(async () => (await jobRows('count-once')).length === 0, { what: 'every job to be done' });
    expect(runs.map((run) => run.n).sort((x, y) => x - y)).toEqual(jobs.map((_, n) => n));
    expect(new Set(runs.map((run) => run.runner))).toEqual(new Set(['a', 'b']));
  });

  it('retries a failing job after a backoff that doubles, then gives it up and says so once', async () => {
    const type = jobType('always-fails', z.object({ what: z.string() }));
    const tries: number[] = [];
    const givenUp: string[] = [];
    const kind = defineJob(type, {
      run: async (_, job) => {
        tries.push(Date.now());
        throw new Error(`refused (try ${job.attempt})`);
      },
      maxAttempts: 3,
      retry: { baseMs: 150, maxMs: 10_000 },
      giveUp: async ({ what }, error) => {
        givenUp.push(`${what}: ${error}`);
      },
    });
    await addJobs(database().pool, [type.job({ what: 'the report' })]);
    startRunner([kind]);
    const [row] = await waitFor(
      async () => {
        const rows = await jobRows('always-fails');
        return rows[0]?.failed_at && rows;
      },
      { what: 'the job to be given up' },
    );
    expect(row?.attempts).toBe(3);
    expect(row?.last_error).toBe('refused (try 3)');
    expect(givenUp).toEqual(['the report: refused (try 3)']);
    expect(tries).toHaveLength(3);
    // Each retry waited at least its backoff: 150 ms, then 300 ms.
    const [first = 0, second = 0, third = 0] = tries;
    expect(second - first).toBeGreaterThanOrEqual(140);
    expect(third - second).toBeGreaterThanOrEqual(290);
  });

  it('runs a job again once it succeeds after failures, and gives up at once on a payload its schema refuses', async () => {
    const type = jobType('flaky', z.object({ failures: z.number().int() }));
    let tries = 0;
    const kind = defineJob(type, {
      run: async ({ failures }) => {
        tries++;
        if (tries <= failures) throw new Error('not yet');
        return undefined;
      },
      retry: { baseMs: 20, maxMs: 20 },
    });
    await addJobs(database().pool, [type.job({ failures: 2 })]);
    // Written by something that did not go through the type (an older version, a hand edit).
    await database().pool.query(`INSERT INTO jobs (kind, payload) VALUES ('flaky', '{"failures": "two"}')`);
    startRunner([kind]);
    const [broken] = await waitFor(
      async () => {
        const rows = await jobRows('flaky');
        return rows.length === 1 && rows[0]?.failed_at && rows;
      },
      { what: 'the good job done and the bad one given up' },
    );
    expect(tries).toBe(3);
    expect(broken?.attempts).toBe(1);
    expect(broken?.last_error).toMatch(/^job flaky: payload failures: /);
  });

  it('adds and runs a periodic job once per period across two workers', async () => {
    const periodMs = 400;
    const runs: { key: string | null; worker: string }[] = [];
    const kind = (worker: string) =>
      defineJob(jobType('tick', z.object({}).strict()), {
        everyMs: periodMs,
        run: async (_, job) => {
          runs.push({ key: job.key, worker });
          return undefined;
        },
      });
    startRunner([kind('one')]);
    startRunner([kind('two')]);
    await waitFor(() => runs.length >= 5, { what: 'five periods' });
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    const keys = runs.map((run) => run.key);
    // One run per period: no key twice, each the start of a period.
    expect(new Set(keys).size).toBe(keys.length);
    const periods = keys.map((key) => Number(/^tick@(\d+)$/.exec(key ?? '')?.[1]));
    for (const period of periods) expect(period % periodMs).toBe(0);
    // Consecutive periods, none skipped.
    const sorted = [...periods].sort((x, y) => x - y);
    expect(sorted.at(-1)! - sorted[0]!).toBe((sorted.length - 1) * periodMs);
  });

  it('stops gracefully: the job running is finished and recorded before stop resolves', async () => {
    const type = jobType('slow', z.object({}));
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      const kind = defineJob(type, {
        run: async () => {
          resolve();
          await new Promise<void>((done) => {
            release = done;
          });
          return undefined;
        },
      });
      startRunner([kind]);
    });
    await addJobs(database().pool, [type.job({})]);
    await started;
    const runner = runners.splice(0)[0];
    const stopped = runner?.stop();
    release();
    await stopped;
    expect(await jobRows('slow')).toHaveLength(0);
  });

  it('runs an hourly upkeep job once across two workers, and schedules it for the next hour', async () => {
    const runs: string[] = [];
    const upkeep = periodicJob('upkeep-test', 3_600_000, async () => {
      runs.push('ran');
    });
    startRunner([upkeep]);
    startRunner([upkeep]);
    await waitFor(() => runs.length === 1, { what: 'the hour’s run' });
    const { rows } = await database().pool.query<{ next_run_at: Date }>(
      `SELECT next_run_at FROM job_schedules WHERE name = 'upkeep-test'`,
    );
    expect(rows[0]?.next_run_at.getTime()).toBe(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
    await waitFor(async () => (await jobRows('upkeep-test')).length === 0, { what: 'the run to be recorded' });
    expect(runs).toEqual(['ran']);
  });
});
