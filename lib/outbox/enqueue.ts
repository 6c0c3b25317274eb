import type pg from 'pg';
import type { FilterReport } from '../filters/types';
import { notifyWorkers } from './channel';
import { countOutcomesSql, LATENCY_BUCKETS_MS } from './stats-sql';

export interface NewDelivery {
  id: string;
  eventId: string;
  webhookId: string;
  status: 'QUEUED' | 'FILTERED';
  filterReport: FilterReport;
}

/**
 * Puts deliveries in the outbox, inside the caller's transaction (the event's), and wakes the
 * workers at commit when any is due. Raw SQL on the hot path: all rows as one JSON parameter, one
 * statement. A webhook deleted since its filters were evaluated simply gets no delivery.
 */
export async function enqueueDeliveries(
  client: pg.PoolClient,
  hubId: string,
  deliveries: readonly NewDelivery[],
): Promise<void> {
  if (deliveries.length === 0) return;
  const rows = deliveries.map((delivery) => ({
    id: delivery.id,
    event_id: delivery.eventId,
    webhook_id: delivery.webhookId,
    status: delivery.status,
    filter_report: delivery.filterReport,
  }));
  // Filtered deliveries never reach the outcome writer: they are counted for the charts here.
  await client.query(
    `WITH inserted AS (
       INSERT INTO deliveries (id, hub_id, event_id, webhook_id, status, filter_report, next_attempt_at)
       SELECT r.id, $1, r.event_id, r.webhook_id, r.status::delivery_status, r.filter_report,
              CASE WHEN r.status = 'QUEUED' THEN now() END
         FROM jsonb_to_recordset($2::jsonb)
           AS r(id uuid, event_id uuid, webhook_id text, status text, filter_report jsonb)
         JOIN webhooks w ON w.id = r.webhook_id
       RETURNING webhook_id, hub_id, status, created_date
     ), filtered AS (SELECT * FROM inserted WHERE status = 'FILTERED')${countOutcomesSql('filtered', '$3')}
     SELECT 1`,
    [hubId, JSON.stringify(rows), LATENCY_BUCKETS_MS],
  );
  if (deliveries.some((delivery) => delivery.status === 'QUEUED')) await notifyWorkers(client);
}
