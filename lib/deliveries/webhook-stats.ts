import { prisma } from '../db/client';
import type { DeliveryStatus } from './read-deliveries';

export const STATS_WINDOW_HOURS = 24;

export interface WebhookStats {
  lastStatus: DeliveryStatus | null;
  lastDeliveryAt: Date | null;
  lastStatusCode: number | null;
  /** Deliveries created in the window that reached an outcome or are retrying (filtered and pending left out). */
  attempted24h: number;
  delivered24h: number;
  failed24h: number;
  /** delivered / attempted, 0–1; null when nothing was attempted in the window. */
  successRate24h: number | null;
}

interface StatsRow {
  webhook_id: string;
  last_status: DeliveryStatus | null;
  last_created: Date | null;
  last_status_code: number | null;
  delivered: bigint | null;
  failed: bigint | null;
  retrying: bigint | null;
}

/**
 * The list page's health column for every webhook of a hub, in one query: the latest delivery
 * (DISTINCT ON over the (webhook_id, created_date) index) joined with the last 24 hours' counts.
 */
export async function webhookStats(hubId: string, now: Date = new Date()): Promise<Map<string, WebhookStats>> {
  const since = new Date(now.getTime() - STATS_WINDOW_HOURS * 60 * 60 * 1000);
  const rows = await prisma().$queryRaw<StatsRow[]>`
    WITH last AS (
      SELECT DISTINCT ON (webhook_id) webhook_id, status::text AS last_status, created_date AS last_created,
             last_status_code
        FROM deliveries
       WHERE hub_id = ${hubId}
       ORDER BY webhook_id, created_date DESC, id DESC
    ), recent AS (
      SELECT webhook_id,
             count(*) FILTER (WHERE status = 'DELIVERED') AS delivered,
             count(*) FILTER (WHERE status = 'FAILED') AS failed,
             count(*) FILTER (WHERE status = 'RETRYING') AS retrying
        FROM deliveries
       WHERE hub_id = ${hubId} AND created_date >= ${since}
       GROUP BY webhook_id
    )
    SELECT last.webhook_id, last.last_status, last.last_created, last.last_status_code,
           recent.delivered, recent.failed, recent.retrying
      FROM last LEFT JOIN recent ON recent.webhook_id = last.webhook_id`;
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
