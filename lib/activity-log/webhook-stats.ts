import { prisma } from '../db/client';
import { uuidFloor } from '../outbox/partitions';
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

// created_date is the transaction's time, the id's the emitting process's clock a moment before;
// an hour of slack covers any skew between the two when the window's days are picked by id.
const ID_CLOCK_SLACK_MS = 3_600_000;

/**
 * The list page's health column for every webhook of a hub, in one query. Both lateral joins walk
 * the (webhook_id, id) index, which carries status and created_date: the last delivery from the
 * newest day backwards, the 24 h counts as an index-only scan of the last day or two (the id
 * bound prunes older days). The cost follows the webhooks and their last day, not the log's size.
 * "Last delivery" is the last request Herald sent or is sending: filtered events are left out.
 */
export async function webhookStats(hubId: string, now: Date = new Date()): Promise<Map<string, WebhookStats>> {
  const since = new Date(now.getTime() - STATS_WINDOW_HOURS * 60 * 60 * 1000);
  const sinceId = uuidFloor(since.getTime() - ID_CLOCK_SLACK_MS);
  const rows = await prisma().$queryRaw<StatsRow[]>`
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
        SELECT count(*) FILTER (WHERE d.status = 'DELIVERED') AS delivered,
               count(*) FILTER (WHERE d.status = 'FAILED') AS failed,
               count(*) FILTER (WHERE d.status = 'RETRYING') AS retrying
          FROM deliveries d
         WHERE d.webhook_id = w.id AND d.id >= ${sinceId}::uuid AND d.created_date >= ${since}
      ) recent ON true
     WHERE w.hub_id = ${hubId}`;
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
