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
  start_in_ms: number;
}

/**
 * How far ahead a claim books a paced webhook's starts. The worker claims again about every 1/rate
 * (50 ms at least), so each claim books what starts before the next one; a claimed delivery waits in
 * its slot for its start, never longer than this.
 */
const PACE_AHEAD = sql`interval '100 milliseconds'`;

/**
 * Webhook by webhook, round robin: the due webhooks least recently served come first, and each
 * gives at most what it may have in flight (`defaultCap`, or its own cap in `capped`/`caps`; none for
 * the `excluded` webhooks, whose shares are full or whose endpoints are resting), and no more than its rate
 * limit lets start within the next PACE_AHEAD. So no webhook's backlog, retries included, stands in front
 * of another webhook's due deliveries, and a rate-limited webhook's surplus waits in the queue, in no slot.
 *
 * A rate-limited webhook is paced: its deliveries start 1/rate apart, from its queue row's
 * next_start_at (or now, when that has passed: an idle webhook saves up no burst). Each claimed row
 * says when it may start (`start_in_ms`, from the claim), and next_start_at moves past the last one.
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
  SELECT q.webhook_id, w.rate_limit, pace.first_start,
         CASE WHEN w.rate_limit IS NULL THEN COALESCE(c.cap, ${p.defaultCap})
              ELSE LEAST(COALESCE(c.cap, ${p.defaultCap}), pace.allowed) END AS cap
    FROM webhook_queues q
    JOIN webhooks w ON w.id = q.webhook_id
    LEFT JOIN unnest(${p.capped}, ${p.caps}) AS c(webhook_id, cap) ON c.webhook_id = q.webhook_id
    -- A rate-limited webhook's starts from its next one on, 1/rate apart, that fall within PACE_AHEAD.
   CROSS JOIN LATERAL (
     SELECT s.first_start,
            CASE WHEN s.first_start <= now() + ${PACE_AHEAD}
                 THEN floor(extract(epoch FROM now() + ${PACE_AHEAD} - s.first_start) * w.rate_limit)::int + 1
                 ELSE 0 END AS allowed
       FROM (SELECT GREATEST(q.next_start_at, now()) AS first_start) s) pace
   WHERE q.due_at <= now() AND q.webhook_id <> ALL(${p.excluded}) AND (w.rate_limit IS NULL OR pace.allowed >= 1)
   ORDER BY q.served_at
   LIMIT ${p.webhooks}
     FOR UPDATE OF q SKIP LOCKED
), picked AS (
  SELECT p.id, h.webhook_id,
         -- The n-th delivery claimed of a paced webhook starts (n - 1)/rate after its first start.
         CASE WHEN h.rate_limit IS NULL THEN 0
              ELSE GREATEST(0, extract(epoch FROM h.first_start - now()) * 1000 + (p.n - 1) * 1000.0 / h.rate_limit)
         END::float8 AS start_in_ms
    FROM heads h
   CROSS JOIN LATERAL (
     SELECT l.id, row_number() OVER (ORDER BY l.next_attempt_at) AS n FROM (
       SELECT d.id, d.next_attempt_at FROM deliveries d
        WHERE d.webhook_id = h.webhook_id AND d.status IN ('QUEUED', 'RETRYING')
          AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now())
          AND ${NOT_WAITING}
        ORDER BY d.next_attempt_at
        LIMIT h.cap
          FOR UPDATE OF d SKIP LOCKED) l) p
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
            d.request_method, d.request_url, d.request_body, picked.start_in_ms
), served AS (
  UPDATE webhook_queues q
     SET served_at = CASE WHEN t.taken > 0 OR NOT filled.hit THEN clock_timestamp() ELSE q.served_at END,
         next_start_at = CASE WHEN h.rate_limit IS NULL OR t.taken = 0 THEN q.next_start_at
                              ELSE h.first_start + make_interval(secs => t.taken::float8 / h.rate_limit) END,
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
    startInMs: row.start_in_ms,
  }));
}
