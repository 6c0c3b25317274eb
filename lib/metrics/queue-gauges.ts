import type pg from 'pg';
import client from 'prom-client';

/**
 * Gauges read from the database when scraped, so any one process (web or worker) reports the
 * whole installation's queue. Registered once per process.
 */
export function registerQueueGauges(pool: () => pg.Pool): void {
  if (client.register.getSingleMetric('herald_queue_depth')) return;
  const read = async () => {
    const { rows } = await pool().query<{ due: string; oldest: number | null; disabled: string }>(
      `SELECT (SELECT count(*) FROM deliveries
                WHERE status IN ('QUEUED', 'RETRYING') AND next_attempt_at <= now()
                  AND (lease_until IS NULL OR lease_until < now())) AS due,
              (SELECT extract(epoch FROM now() - min(next_attempt_at))::float8 FROM deliveries
                WHERE status IN ('QUEUED', 'RETRYING') AND next_attempt_at <= now()
                  AND (lease_until IS NULL OR lease_until < now())) AS oldest,
              (SELECT count(*) FROM webhooks WHERE NOT active AND disabled_reason IS NOT NULL) AS disabled`,
    );
    return rows[0];
  };
  // One query per scrape for the three gauges: the first collect reads, the others reuse it.
  let pending: ReturnType<typeof read> | null = null;
  const snapshot = () => {
    pending ??= read().finally(() => setTimeout(() => (pending = null), 100));
    return pending;
  };
  new client.Gauge({
    name: 'herald_queue_depth',
    help: 'Deliveries due and not claimed by any worker.',
    async collect() {
      this.set(Number((await snapshot())?.due ?? 0));
    },
  });
  new client.Gauge({
    name: 'herald_queue_oldest_due_seconds',
    help: 'How long the oldest due, unclaimed delivery has waited: the lag to alert on.',
    async collect() {
      this.set(Math.max(0, (await snapshot())?.oldest ?? 0));
    },
  });
  new client.Gauge({
    name: 'herald_webhooks_disabled',
    help: 'Webhooks Herald turned off (410 Gone, or failing for the configured period).',
    async collect() {
      this.set(Number((await snapshot())?.disabled ?? 0));
    },
  });
}
