import { bound, type Sql, sql } from '../db/sql';

/**
 * SQL fragments that keep `delivery_stats` (per webhook and minute) in step with the outcomes,
 * inside the very statements that write them, so a batch written twice is never counted twice.
 * The queue (lib/outbox) and the emit append them to their statements; the charts read the table
 * through lib/activity-log/delivery-stats.ts. A folder of its own, below both: the activity log
 * reads events (lib/events), which enqueue on the outbox, so the outbox cannot import it.
 */

/** Upper bounds (ms) of the emit-to-2xx latency buckets; one more bucket holds the rest. */
export const LATENCY_BUCKETS_MS = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000] as const;

const ADD_ON_CONFLICT = sql`
ON CONFLICT (webhook_id, minute) DO UPDATE
   SET delivered = delivery_stats.delivered + excluded.delivered,
       failed = delivery_stats.failed + excluded.failed,
       retrying = delivery_stats.retrying + excluded.retrying,
       filtered = delivery_stats.filtered + excluded.filtered,
       latency_buckets = herald_add_counts(delivery_stats.latency_buckets, excluded.latency_buckets)`;

/** Sent with each statement that counts outcomes; a constant, so each connection plans it once. */
const BUCKET_BOUNDS = bound(LATENCY_BUCKETS_MS, 'float8[]');

/**
 * CTEs to append after a CTE `source` with columns (webhook_id, hub_id, status, created_date):
 * counts this minute's outcomes, and buckets the latency of the DELIVERED ones.
 */
export function countOutcomes(source: Sql): Sql {
  return sql`
, stat_rows AS (
  SELECT s.webhook_id, s.hub_id, s.status,
         CASE WHEN s.status = 'DELIVERED'
              THEN width_bucket(extract(epoch FROM clock_timestamp() - s.created_date) * 1000, ${BUCKET_BOUNDS}) END AS bucket
    FROM ${source} s
), stat_buckets AS (
  SELECT webhook_id, bucket, count(*)::int AS n FROM stat_rows WHERE bucket IS NOT NULL GROUP BY webhook_id, bucket
), stat_upsert AS (
  INSERT INTO delivery_stats (webhook_id, hub_id, minute, delivered, failed, retrying, filtered, latency_buckets)
  SELECT r.webhook_id, r.hub_id, date_trunc('minute', now()),
         count(*) FILTER (WHERE r.status = 'DELIVERED'),
         count(*) FILTER (WHERE r.status = 'FAILED'),
         count(*) FILTER (WHERE r.status = 'RETRYING'),
         count(*) FILTER (WHERE r.status = 'FILTERED'),
         (SELECT array_agg(COALESCE(b.n, 0) ORDER BY i)
            FROM generate_series(0, cardinality(${BUCKET_BOUNDS})) AS i
            LEFT JOIN stat_buckets b ON b.webhook_id = r.webhook_id AND b.bucket = i)
    FROM stat_rows r
   GROUP BY r.webhook_id, r.hub_id
  ${ADD_ON_CONFLICT}
)`;
}
