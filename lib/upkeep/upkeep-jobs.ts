import type pg from 'pg';
import { pruneDeliveryStats } from '../activity-log/delivery-stats';
import { ensureLogPartitions } from '../activity-log/partitions';
import { describeRetention, pruneActivityLog } from '../activity-log/retention';
import { vacuumOutboxIfNeeded } from '../activity-log/vacuum';
import { pruneAuditLog } from '../audit/retention';
import { pruneIdempotencyKeys } from '../idempotency/retention';
import { IDEMPOTENCY_KEY_RETENTION_MS } from '../idempotency/types';
import { periodicJob, type RegisteredJob } from '../jobs/define-job';
import { pruneFailedJobs } from '../jobs/jobs-sql';
import { sweepWebhookQueues } from '../outbox/arm';

const HOUR = 3_600_000;

export interface UpkeepOptions {
  pool: pg.Pool;
  /** HERALD_RETENTION: the activity log, and jobs given up. */
  retentionMs: number;
  /** HERALD_AUDIT_RETENTION. */
  auditRetentionMs: number;
  log: (level: 'info' | 'warn', message: string) => void;
}

/**
 * The database's upkeep as periodic jobs: each runs once per period across all workers (it used
 * to run on timers in every worker process). A failure is retried a few times, then left to the
 * next period, as a timer's was.
 */
export function upkeepJobs({ pool, retentionMs, auditRetentionMs, log }: UpkeepOptions): RegisteredJob[] {
  return [
    // The safety net for a queue mark lost between a commit and its arm (a process killed there):
    // once per period across all workers, it used to run in every worker every 15 s.
    periodicJob('sweep-webhook-queues', 15_000, async () => {
      const found = await sweepWebhookQueues(pool);
      if (found > 0) log('warn', `${found} webhooks had due deliveries the queue did not know of; they are due again`);
    }),
    // The activity log's day partitions: today's and the next two (worker/main.ts also makes
    // sure of them before anything is written).
    periodicJob('ensure-log-partitions', HOUR, async () => {
      const result = await ensureLogPartitions(pool);
      if (result?.created.length) log('info', `created activity log partitions ${result.created.join(', ')}`);
      if (result?.postponed.length) log('warn', `partitions for ${result.postponed.join(', ')} postponed: tables busy`);
    }),
    periodicJob('prune-activity-log', HOUR, async () => {
      const report = await pruneActivityLog(pool, retentionMs);
      for (const line of report ? describeRetention(report) : []) log('info', line);
    }),
    periodicJob('prune-delivery-stats', HOUR, async () => {
      await pruneDeliveryStats();
    }),
    periodicJob('prune-audit-log', HOUR, async () => {
      await pruneAuditLog(pool, auditRetentionMs);
    }),
    periodicJob('prune-idempotency-keys', HOUR, async () => {
      await pruneIdempotencyKeys(pool, IDEMPOTENCY_KEY_RETENTION_MS);
    }),
    periodicJob('prune-failed-jobs', HOUR, async () => {
      await pruneFailedJobs(pool, retentionMs);
    }),
    // Only where autovacuum is off (see lib/outbox/vacuum.ts); a vacuum of a busy day can be long.
    periodicJob(
      'vacuum-deliveries',
      2 * 60_000,
      async () => {
        await vacuumOutboxIfNeeded(pool);
      },
      { leaseMs: 30 * 60_000, maxAttempts: 1 },
    ),
  ];
}
