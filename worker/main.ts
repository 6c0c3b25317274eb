import { pruneDeliveryStats } from '../lib/activity-log/delivery-stats';
import { ensureLogPartitions } from '../lib/activity-log/partitions';
import { describeRetention, pruneActivityLog } from '../lib/activity-log/retention';
import { vacuumOutboxIfNeeded } from '../lib/activity-log/vacuum';
import { pruneAuditLog } from '../lib/audit/retention';
import { env } from '../lib/config/env';
import { describeKeyCheck, verifyEncryptionKey } from '../lib/crypto/verify-key';
import { connect, database } from '../lib/db/client';
import { migrate } from '../lib/db/migrate';
import { DeliveryWorker } from '../lib/delivery/worker';
import { pruneIdempotencyKeys } from '../lib/idempotency/retention';
import { IDEMPOTENCY_KEY_RETENTION_MS } from '../lib/idempotency/types';
import { logger } from '../lib/logger';
import { serveWorkerMetrics } from '../lib/metrics/serve-metrics';
import { startNotificationSender } from '../lib/notifications/start-sender';
import { closeRenderPool } from '../lib/templates/default-render-pool';

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
  await migrate(config.DATABASE_URL);
  const unreadable = describeKeyCheck(await verifyEncryptionKey());
  if (unreadable) log.warn(unreadable);
  const db = database();
  // The activity log's day partitions: today's and the next two exist before anything is written
  // (an event for a day without one would be refused), checked again every hour.
  const ensurePartitions = () =>
    ensureLogPartitions(db.pool)
      .then((result) => {
        if (result?.created.length) log.info(`created activity log partitions ${result.created.join(', ')}`);
        if (result?.postponed.length) log.warn(`partitions for ${result.postponed.join(', ')} postponed: tables busy`);
      })
      .catch((error: Error) => log.warn(`creating activity log partitions failed: ${error.message}`));
  await ensurePartitions();
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
  const mail = startNotificationSender(db.pool, (level, message) => log[level](message), config.HERALD_RETENTION);
  if (!mail) log.info('HERALD_SMTP_URL is not set: failure notifications are not emailed');

  const metricsServer = await serveWorkerMetrics(config.HERALD_WORKER_METRICS_PORT, log, config.HOST);

  const prune = () =>
    Promise.all([
      ensurePartitions(),
      pruneActivityLog(db.pool, config.HERALD_RETENTION).then((report) => {
        for (const line of report ? describeRetention(report) : []) log.info(line);
      }),
      pruneDeliveryStats(),
      pruneAuditLog(db.pool, config.HERALD_AUDIT_RETENTION),
      pruneIdempotencyKeys(db.pool, IDEMPOTENCY_KEY_RETENTION_MS),
    ]).catch((error: Error) => log.warn(`pruning the activity log failed: ${error.message}`));
  const pruning = setInterval(prune, 60 * 60 * 1000);
  pruning.unref();
  setTimeout(prune, 60 * 1000).unref();
  const vacuuming = setInterval(
    () =>
      vacuumOutboxIfNeeded(db.pool).catch((error: Error) =>
        log.warn(`vacuuming the delivery queue failed: ${error.message}`),
      ),
    2 * 60 * 1000,
  );
  vacuuming.unref();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: finishing in-flight deliveries`);
    clearInterval(pruning);
    clearInterval(vacuuming);
    metricsServer?.close();
    await worker.stop();
    await mail?.stop();
    await closeRenderPool();
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

main().catch((error: Error) => {
  console.error(`[worker] fatal: ${error.message}`);
  process.exit(1);
});
