import type pg from 'pg';
import { ensureLogPartitions } from '../lib/activity-log/partitions';
import { env, type HeraldEnv } from '../lib/config/env';
import { describeKeyCheck, verifyEncryptionKey } from '../lib/crypto/verify-key';
import { connect, database } from '../lib/db/client';
import { migrate } from '../lib/db/migrate';
import { DeliveryWorker } from '../lib/delivery/worker';
import type { RegisteredJob } from '../lib/jobs/define-job';
import { JobRunner } from '../lib/jobs/job-runner';
import { type Logger, logger } from '../lib/logger';
import { serveWorkerMetrics } from '../lib/metrics/serve-metrics';
import { emailJobs, emailPruneJob } from '../lib/notifications/email-jobs';
import { type Mailer, smtpMailer } from '../lib/notifications/mailer';
import { notificationSettings } from '../lib/notifications/settings';
import { closeRenderPool } from '../lib/templates/default-render-pool';
import { parseTracingConfig } from '../lib/tracing/config';
import { startTracing, stopTracing } from '../lib/tracing/tracing';
import { upkeepJobs } from '../lib/upkeep/upkeep-jobs';

/** The delivery worker process: `npm run worker` (any number of them against one database). */
async function main(): Promise<void> {
  const config = env();
  const log = logger('worker');
  if (!config.DATABASE_URL) {
    log.error(
      'DATABASE_URL is not set. `npm start` runs Herald with an embedded database; `npm run worker` needs one.',
    );
    process.exit(1);
  }
  // OpenTelemetry, when an OTLP endpoint is set: before the first delivery attempt.
  await startTracing(parseTracingConfig());
  await migrate(config.DATABASE_URL);
  const unreadable = describeKeyCheck(await verifyEncryptionKey());
  if (unreadable) log.warn(unreadable);
  const db = database();
  // The activity log's day partitions: today's and the next two exist before anything is written
  // (an event for a day without one would be refused); the hourly upkeep job keeps them coming.
  await ensureLogPartitions(db.pool)
    .then((result) => {
      if (result?.created.length) log.info(`created activity log partitions ${result.created.join(', ')}`);
    })
    .catch((error: Error) => log.warn(`creating activity log partitions failed: ${error.message}`));
  // The queue's own bookkeeping (leases, outcomes, attempts) commits without waiting for the disk:
  // what a database crash could forget of it is a lease (the delivery is claimed again) or an
  // outcome (its lease runs out and it is sent again), so at worst a resend, never a loss. Claims
  // then keep going while the disk is slow to confirm a write; emits still wait for it (202 only
  // after a durable commit), and so does everything else.
  const queue = connect(config.DATABASE_URL, {
    max: config.HERALD_DB_POOL_SIZE,
    asynchronousCommit: true,
  });
  const worker = new DeliveryWorker({
    databaseUrl: config.DATABASE_URL,
    pool: queue.pool,
    prisma: db.prisma,
    schedule: config.HERALD_RETRY_SCHEDULE,
    timeoutMs: config.HERALD_DELIVERY_TIMEOUT_MS,
    privateDestinations: config.HERALD_ALLOW_PRIVATE_DESTINATIONS,
    disableAfterMs: config.HERALD_DISABLE_AFTER_FAILING_FOR,
    concurrency: config.HERALD_WORKER_CONCURRENCY,
    maxInFlightPerWebhook: config.HERALD_MAX_IN_FLIGHT_PER_WEBHOOK,
    initialInFlightPerWebhook: config.HERALD_INITIAL_IN_FLIGHT_PER_WEBHOOK,
    breakerFailures: config.HERALD_BREAKER_FAILURES,
    breakerCooldownMs: config.HERALD_BREAKER_COOLDOWN,
    leaseMs: config.HERALD_LEASE_MS,
    pollIntervalMs: config.HERALD_POLL_INTERVAL_MS,
    log: (level, message) => log[level](message),
  });
  await worker.start();
  log.info(`delivery worker ${worker.owner} started (concurrency ${config.HERALD_WORKER_CONCURRENCY})`);
  const mail = notificationSettings(config);
  const mailer = mail.smtpUrl ? smtpMailer(mail.smtpUrl, mail.from, mail.publicUrl) : null;
  if (!mailer) log.info('HERALD_SMTP_URL is not set: failure notifications are not emailed');
  const jobs = new JobRunner({
    pool: db.pool,
    jobs: jobKinds(db.pool, config, mailer, log),
    log: (level, message) => log[level](message),
  });
  jobs.start();

  const metricsServer = await serveWorkerMetrics(config.HERALD_WORKER_METRICS_PORT, log, config.HOST);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: finishing in-flight deliveries`);
    metricsServer?.close();
    await worker.stop();
    await jobs.stop();
    mailer?.close();
    await closeRenderPool();
    // The spans of the last attempts, before the process goes.
    await stopTracing();
    await queue.close();
    await db.close();
    log.info(
      `stopped (delivered ${worker.stats.delivered}, retrying ${worker.stats.retrying}, failed ${worker.stats.failed})`,
    );
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  // Tell a parent (npm start, tests) the worker is up.
  process.send?.({ type: 'ready', owner: worker.owner });
}

/**
 * Everything the worker runs that is not a delivery, on one job mechanism: the database's upkeep,
 * and with a mail server the notification emails (without one, none are recorded either).
 */
function jobKinds(pool: pg.Pool, config: HeraldEnv, mailer: Mailer | null, log: Logger): RegisteredJob[] {
  const say = (level: 'info' | 'warn' | 'error', message: string) => log[level](message);
  const upkeep = upkeepJobs({
    pool,
    retentionMs: config.HERALD_RETENTION,
    auditRetentionMs: config.HERALD_AUDIT_RETENTION,
    log: say,
  });
  const kinds = [...upkeep, emailPruneJob(pool, config.HERALD_RETENTION)];
  if (!mailer) return kinds;
  const { publicUrl, intervalMs } = notificationSettings(config);
  return [...kinds, ...emailJobs({ pool, mailer, publicUrl, intervalMs, log: say })];
}

main().catch((error: Error) => {
  console.error(`[worker] fatal: ${error.message}`);
  process.exit(1);
});
