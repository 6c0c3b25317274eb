import { database } from '../db/client';
import { type Param, param, sql, statement } from '../db/sql';
import type { DeliveryStatus } from './read-deliveries';

export const STATS_WINDOW_HOURS = 24;

export interface WebhookStats {
  lastStatus: DeliveryStatus | null;
  lastDeliveryAt: Date | null;
  lastStatusCode: number | null;
  /** Attempts in the window (delivered, failed for good, or failed and retrying); filtered events left out. */
  attempted24h: number;
  delivered24h: number;
  failed24h: number;
  /** delivered / attempted, 0–1; null when nothing was attempted in the window. */
  successRate24h: number | null;
}

/** Sums of integer columns are bigint, which pg answers as text. */
interface StatsRow {
  webhook_id: string;
  last_status: DeliveryStatus | null;
  last_created: Date | null;
  last_status_code: number | null;
  delivered: string | null;
  failed: string | null;
  retrying: string | null;
}

const STATS = statement<{ since: Param<Date>; hubId: Param<string> }, StatsRow>(
  'activity-webhook-stats',
  { since: param('timestamptz'), hubId: param() },
  (p) => sql`
    SELECT w.id AS webhook_id, last.status::text AS last_status, last.created_date AS last_created,
           last.last_status_code, recent.delivered, recent.failed, recent.retrying
      FROM webhooks w
      LEFT JOIN LATERAL (
        SELECT d.status, d.created_date, d.last_status_code
          FROM deliveries d
         WHERE d.id = (SELECT l.id FROM deliveries l
                        WHERE l.webhook_id = w.id AND l.status <> 'FILTERED'
                        ORDER BY l.id DESC LIMIT 1)
      ) last ON true
      LEFT JOIN LATERAL (
        SELECT sum(s.delivered) AS delivered, sum(s.failed) AS failed, sum(s.retrying) AS retrying
          FROM delivery_stats s
         WHERE s.webhook_id = w.id AND s.minute >= date_trunc('minute', ${p.since})
      ) recent ON true
     WHERE w.hub_id = ${p.hubId}`,
);

/**
 * The list page's health column for every webhook of a hub, in one query. The last delivery walks
 * the (webhook_id, id) index from the newest day backwards; the 24 h counts add up the per-minute
 * rows of `delivery_stats` (at most 1,440 per webhook), so the cost follows the webhooks, not the
 * log's size. Counts are of attempts, as on the charts. "Last delivery" is the last request Herald
 * sent or is sending: filtered events are left out.
 */
export async function webhookStats(hubId: string, now: Date = new Date()): Promise<Map<string, WebhookStats>> {
  const since = new Date(now.getTime() - STATS_WINDOW_HOURS * 60 * 60 * 1000);
  const { rows } = await STATS.run(database().pool, { since, hubId });
  const stats = new Map<string, WebhookStats>();
  for (const row of rows) {
    const delivered = Number(row.delivered ?? 0);
    const failed = Number(row.failed ?? 0);
    const attempted = delivered + failed + Number(row.retrying ?? 0);
    stats.set(row.webhook_id, {
      lastStatus: row.last_status,
      lastDeliveryAt: row.last_created,
      lastStatusCode: row.last_status_code,
      attempted24h: attempted,
      delivered24h: delivered,
      failed24h: failed,
      successRate24h: attempted > 0 ? delivered / attempted : null,
    });
  }
  return stats;
}
