import { database } from '../db/client';
import { type Param, param, type Sql, sql, statement } from '../db/sql';
import { LATENCY_BUCKETS_MS } from '../delivery-stats/stats-sql';

/**
 * Read side of `delivery_stats` (per webhook and minute, kept by the outcome writes): series for
 * charts and the webhooks failing most. Every query walks the (hub_id, minute) index or the
 * primary key (webhook_id, minute), so its cost follows the range, not the activity log's size.
 */

export interface StatsPoint {
  /** Start of the hour or day. */
  at: Date;
  /** Deliveries that got a 2xx (each on its successful attempt). */
  delivered: number;
  /** Deliveries given up on: their last attempt failed and no retry is left. */
  failed: number;
  /** Failed attempts with a retry still to come. */
  retrying: number;
  /** Events not sent because the webhook's filters did not match. */
  filtered: number;
  /** Emit-to-2xx latency of the deliveries that succeeded in the interval (ms); null without any. */
  p50: number | null;
  p95: number | null;
}

export type StatsRange = '24h' | '30d';

const RANGES: Record<StatsRange, { unit: 'hour' | 'day'; count: number; ms: number }> = {
  '24h': { unit: 'hour', count: 24, ms: 3_600_000 },
  '30d': { unit: 'day', count: 30, ms: 86_400_000 },
};

/** Sums of integer columns are bigint, which pg answers as text. */
interface SeriesRow {
  at: Date;
  delivered: string;
  failed: string;
  retrying: string;
  filtered: string;
  buckets: number[] | null;
}

type Unit = (typeof RANGES)[StatsRange]['unit'];

const series = (unit: Param<Unit>, where: Sql) => sql`
        SELECT date_trunc(${unit}, s.minute, 'UTC') AS at,
               sum(s.delivered) AS delivered, sum(s.failed) AS failed,
               sum(s.retrying) AS retrying, sum(s.filtered) AS filtered,
               herald_sum_counts(s.latency_buckets) AS buckets
          FROM delivery_stats s
         WHERE ${where}
         GROUP BY 1`;

// Two statements rather than an optional condition, so each walks its own index.
const WEBHOOK_SERIES = statement<
  { unit: Param<Unit>; webhookId: Param<string>; hubId: Param<string>; start: Param<Date> },
  SeriesRow
>('activity-stats-webhook-series', { unit: param(), webhookId: param(), hubId: param(), start: param() }, (p) =>
  series(p.unit, sql`s.webhook_id = ${p.webhookId} AND s.hub_id = ${p.hubId} AND s.minute >= ${p.start}`),
);

const HUB_SERIES = statement<{ unit: Param<Unit>; hubId: Param<string>; start: Param<Date> }, SeriesRow>(
  'activity-stats-hub-series',
  { unit: param(), hubId: param(), start: param() },
  (p) => series(p.unit, sql`s.hub_id = ${p.hubId} AND s.minute >= ${p.start}`),
);

/** Counts per hour (24 h) or day (30 days), oldest first, every interval present (zeros where quiet). */
export async function deliverySeries(
  scope: { hubId: string; webhookId?: string },
  range: StatsRange,
  now: Date = new Date(),
): Promise<StatsPoint[]> {
  const { unit, count, ms } = RANGES[range];
  const start = rangeStart(range, now);
  const { pool } = database();
  const { rows } = scope.webhookId
    ? await WEBHOOK_SERIES.run(pool, { unit, webhookId: scope.webhookId, hubId: scope.hubId, start })
    : await HUB_SERIES.run(pool, { unit, hubId: scope.hubId, start });
  const byTime = new Map(rows.map((row) => [row.at.getTime(), row]));
  return Array.from({ length: count }, (_, index) => {
    const at = new Date(start.getTime() + index * ms);
    const row = byTime.get(at.getTime());
    const buckets = row?.buckets ?? [];
    return {
      at,
      delivered: Number(row?.delivered ?? 0),
      failed: Number(row?.failed ?? 0),
      retrying: Number(row?.retrying ?? 0),
      filtered: Number(row?.filtered ?? 0),
      p50: percentile(buckets, 0.5),
      p95: percentile(buckets, 0.95),
    };
  });
}

/**
 * Where a range's charts begin: the start of the oldest of its hours (24 h) or days (30 days). Every
 * figure shown for a range counts from here, so a table beside a chart covers what the chart shows.
 */
export function rangeStart(range: StatsRange, now: Date = new Date()): Date {
  const { unit, count, ms } = RANGES[range];
  return new Date(truncate(now, unit).getTime() - (count - 1) * ms);
}

function truncate(date: Date, unit: 'hour' | 'day'): Date {
  const copy = new Date(date);
  copy.setUTCMinutes(0, 0, 0);
  if (unit === 'day') copy.setUTCHours(0);
  return copy;
}

/**
 * A percentile from bucket counts, interpolated linearly inside the bucket it falls in (the
 * last, open bucket reports its lower bound).
 */
export function percentile(buckets: readonly number[], p: number): number | null {
  const total = buckets.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = p * total;
  let seen = 0;
  for (const [index, n] of buckets.entries()) {
    if (n > 0 && seen + n >= rank) {
      const lower = index === 0 ? 0 : (LATENCY_BUCKETS_MS[index - 1] ?? 0);
      const upper = LATENCY_BUCKETS_MS[index];
      if (upper === undefined) return lower;
      return Math.round(lower + ((rank - seen) / n) * (upper - lower));
    }
    seen += n;
  }
  return LATENCY_BUCKETS_MS.at(-1) ?? null;
}

export interface FailingWebhook {
  webhookId: string;
  label: string;
  /** Failed attempts: retried ones and last ones alike. */
  failed: number;
  /** All attempts, failed or delivered. */
  attempted: number;
}

const FAILING_MOST = statement<
  { hubId: Param<string>; since: Param<Date>; limit: Param<number> },
  { webhook_id: string; label: string; failed: string; attempted: string }
>(
  'activity-stats-failing-most',
  { hubId: param(), since: param(), limit: param() },
  (p) => sql`
    SELECT s.webhook_id, w.label, sum(s.failed + s.retrying) AS failed,
           sum(s.delivered + s.failed + s.retrying) AS attempted
      FROM delivery_stats s JOIN webhooks w ON w.id = s.webhook_id
     WHERE s.hub_id = ${p.hubId} AND s.minute >= ${p.since}
     GROUP BY s.webhook_id, w.label
    HAVING sum(s.failed + s.retrying) > 0
     ORDER BY 3 DESC, 2
     LIMIT ${p.limit}`,
);

/**
 * The webhooks with the most failed attempts (answered with a non-2xx or not at all, whether
 * retried or the last) in the range the charts show.
 */
export async function webhooksFailingMost(
  hubId: string,
  range: StatsRange = '24h',
  limit = 5,
  now: Date = new Date(),
): Promise<FailingWebhook[]> {
  const since = rangeStart(range, now);
  const { rows } = await FAILING_MOST.run(database().pool, { hubId, since, limit });
  return rows.map((row) => ({
    webhookId: row.webhook_id,
    label: row.label,
    failed: Number(row.failed),
    attempted: Number(row.attempted),
  }));
}

const PRUNE = statement(
  'activity-stats-prune',
  { keepMs: param<number>() },
  (p) => sql`DELETE FROM delivery_stats WHERE minute < now() - ${p.keepMs} * interval '1 millisecond'`,
);

/** Per-minute counts are kept a little longer than the 30-day charts need. */
export async function pruneDeliveryStats(keepMs = 35 * 86_400_000): Promise<number> {
  return (await PRUNE.run(database().pool, { keepMs })).rowCount ?? 0;
}
