import { jsonParam, type Param, type Sql, sql } from '../db/sql';
import { countOutcomes } from '../delivery-stats/stats-sql';
import type { FilterReport } from '../filters/types';

export interface NewDelivery {
  id: string;
  eventId: string;
  webhookId: string;
  /** SUPERSEDED: a newer delivery of the same key is in the same batch (latest mode). */
  status: 'QUEUED' | 'FILTERED' | 'SUPERSEDED';
  filterReport: FilterReport;
  /** Latest mode only (null otherwise): the event's key, and the newer delivery of the batch. */
  deliveryKey: string | null;
  supersededBy: string | null;
  /** Latest mode's debounce: wait this long after the save, at most maxWaitMs after the key began waiting. */
  debounceMs: number;
  maxWaitMs: number;
}

/** The statement's deliveries, as the JSON rows enqueueDeliveries reads. */
export function deliveriesParam(): Param<readonly NewDelivery[]> {
  return jsonParam('jsonb', (deliveries) =>
    deliveries.map((delivery) => ({
      id: delivery.id,
      event_id: delivery.eventId,
      webhook_id: delivery.webhookId,
      status: delivery.status,
      filter_report: delivery.filterReport,
      // Left out when empty: an `every` webhook's rows stay as small as they were.
      ...(delivery.deliveryKey === null
        ? {}
        : {
            delivery_key: delivery.deliveryKey,
            superseded_by: delivery.supersededBy,
            debounce_ms: delivery.debounceMs,
            max_wait_ms: delivery.maxWaitMs,
          }),
    })),
  );
}

/**
 * Latest mode, before the new rows go in: the waiting (QUEUED or RETRYING) delivery of each new
 * queued row's webhook and key becomes SUPERSEDED by it. Every emit of a hub holds the hub's row
 * lock, so whatever waits is older than the new row. One that is being sent (leased) is marked too,
 * and its outcome keeps SUPERSEDED unless it was delivered (lib/outbox/complete.ts); the new row
 * then waits for that send to end (`waits_for`, see lib/outbox/claim.ts), so two versions never race.
 * A concurrent claim or outcome holds the row's lock: this UPDATE waits and sees its result.
 */
const SUPERSEDE_WAITING = sql`superseded AS (
  UPDATE deliveries d
     SET status = 'SUPERSEDED', superseded_by = n.id, next_attempt_at = NULL, last_modified_date = now()
    FROM new_rows n
   WHERE n.delivery_key IS NOT NULL AND n.status = 'QUEUED'
     AND d.webhook_id = n.webhook_id AND d.delivery_key = n.delivery_key AND d.status IN ('QUEUED', 'RETRYING')
  RETURNING n.id AS by_id, d.id, d.lease_until, d.waits_for, d.pending_since
), predecessors AS (
  -- At most one per key (only the newest ever waits); grouped all the same, so no state can fail the emit.
  SELECT s.by_id,
         -- A burst carries on from a delivery that was waiting, not from one already being sent.
         min(s.pending_since) FILTER (WHERE s.lease_until IS NULL) AS pending_since,
         COALESCE((array_agg(s.id) FILTER (WHERE s.lease_until IS NOT NULL))[1],
                  (array_agg(s.waits_for) FILTER (WHERE s.waits_for IS NOT NULL))[1]) AS waits_for
    FROM superseded s GROUP BY s.by_id
)`;

/**
 * The enqueue side of the outbox, as CTEs of the emit statement (lib/events/commit-events.ts), so
 * an event, its deliveries and the workers' wake-up are one statement and one round trip. The
 * rows (`rows`, a deliveriesParam) are written once per row of `gate`,
 * the CTE that holds the hub's lock; filtered ones never reach the outcome writer, so they are
 * counted for the charts here. Once the statement has committed, the
 * caller arms the webhooks with queued deliveries (lib/outbox/arm.ts), which wakes the workers.
 * A debounced delivery is due at min(now + debounce, pending_since + max wait), pending_since
 * being carried from the delivery it supersedes.
 */
export function enqueueDeliveries(names: { gate: Sql; hubId: Param<string>; rows: Param<readonly NewDelivery[]> }) {
  return sql`new_rows AS (
  SELECT r.* FROM ${names.gate}, jsonb_to_recordset(${names.rows})
      AS r(id uuid, event_id uuid, webhook_id text, status text, filter_report jsonb,
           delivery_key text, superseded_by uuid, debounce_ms int, max_wait_ms int)
), ${SUPERSEDE_WAITING}, inserted AS (
  INSERT INTO deliveries (id, hub_id, event_id, webhook_id, status, filter_report, next_attempt_at,
                          delivery_key, superseded_by, waits_for, pending_since)
  SELECT n.id, ${names.hubId}, n.event_id, n.webhook_id, n.status::delivery_status, n.filter_report,
         CASE WHEN n.status <> 'QUEUED' THEN NULL
              WHEN COALESCE(n.debounce_ms, 0) = 0 THEN now()
              ELSE LEAST(now() + n.debounce_ms * interval '1 millisecond',
                         COALESCE(p.pending_since, now()) + n.max_wait_ms * interval '1 millisecond') END,
         n.delivery_key, n.superseded_by, p.waits_for,
         CASE WHEN n.delivery_key IS NOT NULL AND n.status = 'QUEUED' THEN COALESCE(p.pending_since, now()) END
    FROM new_rows n LEFT JOIN predecessors p ON p.by_id = n.id
  RETURNING webhook_id, hub_id, status, created_date
), filtered AS (SELECT * FROM inserted WHERE status = 'FILTERED')${countOutcomes(sql`filtered`)}`;
}
