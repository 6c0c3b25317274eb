import { type Param, param, type Queryable, sql, statement } from '../db/sql';
import { NOT_WAITING } from './latest-sql';
import type { ClaimedDelivery } from './types';

/**
 * The delivery queue is the `deliveries` table itself (a transactional outbox). The claim is SQL
 * because Prisma cannot say `FOR UPDATE SKIP LOCKED`: each worker takes due, unleased rows
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
  trace_parent: string | null;
  active: boolean;
  webhook_version: Date;
  disabled_reason: string | null;
  rate_limit: number | null;
}

/**
 * Webhook by webhook, round robin: the due webhooks least recently served come first, and each
 * gives at most what it may have in flight (`defaultCap`, or its own cap in `capped`/`caps`; none for
 * the `excluded` webhooks, whose shares are full or whose endpoints are resting), and no more than its rate
 * limit's bucket holds. So no webhook's backlog, retries included, stands in front of another
 * webhook's due deliveries, and a rate-limited webhook's surplus waits in the queue, in no slot.
 *
 * A webhook served and found drained gets its due_at from what is left: the next pending delivery
 * not leased, the end of the leases in flight (a worker that dies leaves them to expire), or NULL.
 * When the claim filled up before a webhook's turn, that webhook keeps its place and its due_at.
 * Unless it was armed after this statement began: then its snapshot may miss the delivery the arm
 * is about, and the webhook stays due for the next claim to look again.
 */
const CLAIM = statement<
  {
    limit: Param<number>;
    leaseMs: Param<number>;
    owner: Param<string>;
    webhooks: Param<number>;
    defaultCap: Param<number>;
    excluded: Param<readonly string[]>;
    capped: Param<string[]>;
    caps: Param<number[]>;
  },
  ClaimRow
>(
  // Named: each connection plans the claim once (a generic plan), instead of planning its scan
  // of every day's partition on every claim.
  'outbox-claim',
  {
    limit: param(),
    leaseMs: param(),
    owner: param(),
    webhooks: param(),
    defaultCap: param(),
    excluded: param('text[]'),
    capped: param('text[]'),
    caps: param('int[]'),
  },
  (p) => sql`
WITH heads AS (
  SELECT q.webhook_id, w.rate_limit, win.current, win.previous,
         CASE WHEN w.rate_limit IS NULL THEN COALESCE(c.cap, ${p.defaultCap})
              ELSE LEAST(COALESCE(c.cap, ${p.defaultCap}), win.allowed) END AS cap
    FROM webhook_queues q
    JOIN webhooks w ON w.id = q.webhook_id
    LEFT JOIN unnest(${p.capped}, ${p.caps}) AS c(webhook_id, cap) ON c.webhook_id = q.webhook_id
    -- A rate-limited webhook's sliding window: what it started in this second of the clock, plus
    -- the previous second's count weighted by the part of it still within the last second.
   CROSS JOIN LATERAL (
     SELECT r.current, r.previous,
            floor(w.rate_limit - r.previous * (1 - extract(epoch FROM now() - date_trunc('second', now())))
                  - r.current)::int AS allowed
       FROM (SELECT CASE WHEN q.window_at = date_trunc('second', now()) THEN q.window_count ELSE 0 END AS current,
                    CASE WHEN q.window_at = date_trunc('second', now()) THEN q.previous_count
                         WHEN q.window_at = date_trunc('second', now()) - interval '1 second' THEN q.window_count
                         ELSE 0 END AS previous) r) win
   WHERE q.due_at <= now() AND q.webhook_id <> ALL(${p.excluded}) AND (w.rate_limit IS NULL OR win.allowed >= 1)
   ORDER BY q.served_at
   LIMIT ${p.webhooks}
     FOR UPDATE OF q SKIP LOCKED
), picked AS (
  SELECT p.id, h.webhook_id
    FROM heads h
   CROSS JOIN LATERAL (
     SELECT d.id FROM deliveries d
      WHERE d.webhook_id = h.webhook_id AND d.status IN ('QUEUED', 'RETRYING')
        AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now())
        AND ${NOT_WAITING}
      ORDER BY d.next_attempt_at
      LIMIT h.cap
        FOR UPDATE OF d SKIP LOCKED) p
   LIMIT ${p.limit}
), claimed AS (
  UPDATE deliveries d
     SET lease_until = now() + ${p.leaseMs} * interval '1 millisecond',
         lease_owner = ${p.owner},
         attempt_count = d.attempt_count + 1,
         last_modified_date = now()
    FROM picked
   WHERE d.id = picked.id
  RETURNING d.id, d.hub_id, d.webhook_id, d.event_id, d.attempt_count, d.chain,
            d.request_method, d.request_url, d.request_body
), served AS (
  UPDATE webhook_queues q
     SET served_at = CASE WHEN t.taken > 0 OR NOT filled.hit THEN clock_timestamp() ELSE q.served_at END,
         window_at = CASE WHEN h.rate_limit IS NULL THEN q.window_at ELSE date_trunc('second', now()) END,
         window_count = CASE WHEN h.rate_limit IS NULL THEN q.window_count ELSE h.current + t.taken END,
         previous_count = CASE WHEN h.rate_limit IS NULL THEN q.previous_count ELSE h.previous END,
         due_at = CASE
           WHEN q.armed_at >= statement_timestamp() OR t.taken >= h.cap OR filled.hit THEN q.due_at
           ELSE LEAST(
             (SELECT d.next_attempt_at FROM deliveries d
               WHERE d.webhook_id = q.webhook_id AND d.status IN ('QUEUED', 'RETRYING')
                 AND (d.lease_until IS NULL OR d.lease_until < now()) AND d.id <> ALL(t.ids)
               ORDER BY d.next_attempt_at LIMIT 1),
             -- Leases in flight are on due rows, at the head of the webhook's pending index: read
             -- them in its order (bounded), never by a scan of the webhook's whole backlog.
             (SELECT min(l.lease_until) FROM (
                SELECT d.lease_until FROM deliveries d
                 WHERE d.webhook_id = q.webhook_id AND d.status IN ('QUEUED', 'RETRYING') AND d.next_attempt_at <= now()
                 ORDER BY d.next_attempt_at LIMIT 10000) l
               WHERE l.lease_until >= now()),
             CASE WHEN t.taken > 0 THEN now() + ${p.leaseMs} * interval '1 millisecond' END)
         END
    FROM heads h
   CROSS JOIN LATERAL (SELECT count(*) AS taken, COALESCE(array_agg(p.id), '{}') AS ids
                         FROM picked p WHERE p.webhook_id = h.webhook_id) t
   -- The claim took all it asked for: webhooks it reached no further are neither served nor drained.
   CROSS JOIN (SELECT count(*) >= ${p.limit} AS hit FROM picked) filled
   WHERE q.webhook_id = h.webhook_id
)
SELECT c.*, e.sequence_id, e.name, e.request_id,
       -- The event body is only needed to render a request not rendered yet.
       CASE WHEN c.request_body IS NULL THEN e.payload::text END AS payload_json, e.trace_parent,
       w.active, w.last_modified_date AS webhook_version, w.disabled_reason, w.rate_limit
  FROM claimed c
  JOIN events e ON e.id = c.event_id
  JOIN webhooks w ON w.id = c.webhook_id`,
);

/** What the worker may take, webhook by webhook. */
export interface ClaimShares {
  /** Deliveries in all. */
  limit: number;
  /** Webhooks served per claim. */
  webhooks: number;
  /** What a webhook not named below may start. */
  defaultCap: number;
  /** Webhooks that may start nothing now. */
  excluded: readonly string[];
  /** Webhooks that may start fewer (or more) than the default. */
  caps: ReadonlyMap<string, number>;
}

export async function claimDeliveries(
  db: Queryable,
  shares: ClaimShares,
  leaseMs: number,
  owner: string,
): Promise<ClaimedDelivery[]> {
  const { rows } = await CLAIM.run(db, {
    limit: shares.limit,
    leaseMs,
    owner,
    webhooks: shares.webhooks,
    defaultCap: shares.defaultCap,
    excluded: shares.excluded,
    capped: [...shares.caps.keys()],
    caps: [...shares.caps.values()],
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
      traceParent: row.trace_parent,
    },
    webhook: {
      active: row.active,
      version: row.webhook_version.getTime(),
      disabledReason: row.disabled_reason,
      rateLimit: row.rate_limit,
    },
  }));
}
