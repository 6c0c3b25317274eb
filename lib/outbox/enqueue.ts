import { countOutcomesSql } from '../delivery-stats/stats-sql';
import type { FilterReport } from '../filters/types';

export interface NewDelivery {
  id: string;
  eventId: string;
  webhookId: string;
  status: 'QUEUED' | 'FILTERED';
  filterReport: FilterReport;
}

/** The deliveries as the JSON rows ENQUEUE_DELIVERIES_SQL reads. */
export function deliveryRows(deliveries: readonly NewDelivery[]): string {
  return JSON.stringify(
    deliveries.map((delivery) => ({
      id: delivery.id,
      event_id: delivery.eventId,
      webhook_id: delivery.webhookId,
      status: delivery.status,
      filter_report: delivery.filterReport,
    })),
  );
}

/**
 * The enqueue side of the outbox, as CTEs of the emit statement (lib/events/commit-events.ts), so
 * an event, its deliveries and the workers' wake-up are one statement and one round trip. The
 * rows (`rows`, a jsonb placeholder bound to deliveryRows) are written once per row of `gate`,
 * the CTE that holds the hub's lock; filtered ones never reach the outcome writer, so they are
 * counted for the charts here (`bounds`: LATENCY_BUCKETS_MS). Once the statement has committed, the
 * caller arms the webhooks with queued deliveries (lib/outbox/arm.ts), which wakes the workers.
 */
export function enqueueDeliveriesSql(names: { gate: string; hubId: string; rows: string; bounds: string }) {
  return `inserted AS (
  INSERT INTO deliveries (id, hub_id, event_id, webhook_id, status, filter_report, next_attempt_at)
  SELECT r.id, ${names.hubId}, r.event_id, r.webhook_id, r.status::delivery_status, r.filter_report,
         CASE WHEN r.status = 'QUEUED' THEN now() END
    FROM ${names.gate}, jsonb_to_recordset(${names.rows}::jsonb)
      AS r(id uuid, event_id uuid, webhook_id text, status text, filter_report jsonb)
  RETURNING webhook_id, hub_id, status, created_date
), filtered AS (SELECT * FROM inserted WHERE status = 'FILTERED')${countOutcomesSql('filtered', names.bounds)}`;
}
