import type pg from 'pg';
import type { ClaimedDelivery } from './types';

/**
 * The delivery queue is the `deliveries` table itself (a transactional outbox). The claim is raw
 * SQL because Prisma cannot say `FOR UPDATE SKIP LOCKED`: each worker takes due, unleased rows
 * no other worker holds, and leases them; a lease that runs out makes them due again.
 */

interface ClaimRow {
  id: string;
  hub_id: string;
  webhook_id: string;
  attempt_count: number;
  chain: number;
  request_method: string | null;
  request_url: string | null;
  request_body: string | null;
  event_id: string;
  sequence_id: string;
  name: string;
  request_id: string;
  payload_json: string | null;
  active: boolean;
  webhook_version: Date;
  disabled_reason: string | null;
}

const CLAIM_SQL = `
WITH claimed AS (
  UPDATE deliveries d
     SET lease_until = now() + $2 * interval '1 millisecond',
         lease_owner = $3,
         attempt_count = d.attempt_count + 1,
         last_modified_date = now()
    FROM (SELECT id FROM deliveries
           WHERE status IN ('QUEUED', 'RETRYING')
             AND next_attempt_at <= now()
             AND (lease_until IS NULL OR lease_until < now())
           ORDER BY next_attempt_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED) pending
   WHERE d.id = pending.id
  RETURNING d.id, d.hub_id, d.webhook_id, d.event_id, d.attempt_count, d.chain,
            d.request_method, d.request_url, d.request_body
)
SELECT c.*, e.sequence_id, e.name, e.request_id,
       -- The event body is only needed to render a request not rendered yet.
       CASE WHEN c.request_body IS NULL THEN e.payload::text END AS payload_json,
       w.active, w.last_modified_date AS webhook_version, w.disabled_reason
  FROM claimed c
  JOIN events e ON e.id = c.event_id
  JOIN webhooks w ON w.id = c.webhook_id`;

export async function claimDeliveries(
  pool: pg.Pool,
  limit: number,
  leaseMs: number,
  owner: string,
): Promise<ClaimedDelivery[]> {
  // Named: each connection plans the claim once (a generic plan), instead of planning its scan
  // of every day's partition on every claim.
  const { rows } = await pool.query<ClaimRow>({
    name: 'outbox-claim',
    text: CLAIM_SQL,
    values: [limit, leaseMs, owner],
  });
  return rows.map((row) => ({
    id: row.id,
    hubId: row.hub_id,
    webhookId: row.webhook_id,
    attemptCount: row.attempt_count,
    chain: row.chain,
    requestMethod: row.request_method,
    requestUrl: row.request_url,
    requestBody: row.request_body,
    event: {
      id: row.event_id,
      sequenceId: Number(row.sequence_id),
      name: row.name,
      requestId: row.request_id,
      payloadJson: row.payload_json,
    },
    webhook: { active: row.active, version: row.webhook_version.getTime(), disabledReason: row.disabled_reason },
  }));
}
