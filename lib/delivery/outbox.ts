import type pg from 'pg';

/**
 * The delivery queue is the `deliveries` table itself (a transactional outbox). These statements
 * are raw SQL because Prisma cannot express them: `FOR UPDATE SKIP LOCKED` for the claim, and
 * a whole batch of per-row results written in one statement with `unnest`.
 */

export interface ClaimedDelivery {
  id: string;
  hubId: string;
  webhookId: string;
  attemptCount: number;
  chain: number;
  requestMethod: string | null;
  requestUrl: string | null;
  requestBody: string | null;
  /** The event's payload as stored JSON text; null when the request was rendered already. */
  event: { id: string; sequenceId: number; name: string; requestId: string; payloadJson: string | null };
  webhook: { active: boolean; version: number; disabledReason: string | null };
}

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
  const { rows } = await pool.query<ClaimRow>(CLAIM_SQL, [limit, leaseMs, owner]);
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

export type DeliveryOutcome = 'DELIVERED' | 'RETRYING' | 'FAILED';

export interface AttemptResult {
  deliveryId: string;
  webhookId: string;
  attemptCount: number;
  chain: number;
  outcome: DeliveryOutcome;
  nextAttemptAt: Date | null;
  /** Set on the attempt that rendered the request; later attempts keep what is stored. */
  rendered: { method: string; url: string; headers: Record<string, string>; body: string } | null;
  payloadTemplate: string | null;
  urlTemplate: string | null;
  startedAt: Date;
  durationMs: number;
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  responseBodyTruncated: boolean;
  error: string | null;
  /** The endpoint answered 410 Gone: turn the webhook off. */
  gone: boolean;
  /** False when nothing went out (render failed, webhook off): the endpoint's health is unknown. */
  sent: boolean;
}

const COMPLETE_SQL = `
WITH r AS (
  SELECT * FROM unnest(
    $1::uuid[], $2::int[], $3::int[], $4::delivery_status[], $5::timestamptz[],
    $6::webhook_method[], $7::text[], $8::jsonb[], $9::text[], $10::text[], $11::text[],
    $12::timestamptz[], $13::int[], $14::jsonb[], $15::int[], $16::jsonb[], $17::text[], $18::boolean[], $19::text[]
  ) AS r(id, attempt_count, chain, status, next_attempt_at,
         request_method, request_url, request_headers, request_body, payload_template, url_template,
         started_at, duration_ms, attempt_headers, response_status, response_headers, response_body, truncated, error)
), updated AS (
  UPDATE deliveries d
     SET status = r.status,
         next_attempt_at = r.next_attempt_at,
         lease_until = NULL,
         lease_owner = NULL,
         request_method = COALESCE(r.request_method, d.request_method),
         request_url = COALESCE(r.request_url, d.request_url),
         request_headers = COALESCE(r.request_headers, d.request_headers),
         request_body = COALESCE(r.request_body, d.request_body),
         payload_template = COALESCE(r.payload_template, d.payload_template),
         url_template = COALESCE(r.url_template, d.url_template),
         last_status_code = r.response_status,
         last_error = r.error,
         delivered_at = CASE WHEN r.status = 'DELIVERED' THEN now() ELSE d.delivered_at END,
         last_modified_date = now()
    FROM r
   -- A worker whose lease ran out must not overwrite the outcome of the worker that took over,
   -- and a delivery deleted meanwhile (with its webhook) simply matches nothing.
   WHERE d.id = r.id AND d.lease_owner = $20 AND d.attempt_count = r.attempt_count AND d.chain = r.chain
  RETURNING d.id
)
-- Attempts are recorded with the outcome they led to, so writing a batch twice (after a lost
-- reply) cannot record them twice: the second time no delivery matches the lease any more.
INSERT INTO delivery_attempts (id, delivery_id, number, chain, started_at, duration_ms, request_headers,
                               response_status, response_headers, response_body, response_body_truncated,
                               error, succeeded, next_attempt_at)
SELECT gen_random_uuid(), r.id, r.attempt_count, r.chain, r.started_at, r.duration_ms, r.attempt_headers,
       r.response_status, r.response_headers, r.response_body, r.truncated,
       r.error, r.status = 'DELIVERED', r.next_attempt_at
  FROM r JOIN updated USING (id)`;

/** Records a batch of attempts and moves their deliveries on, in one round trip. */
export async function completeDeliveries(
  pool: pg.Pool,
  owner: string,
  results: readonly AttemptResult[],
  health: HealthPolicy,
): Promise<void> {
  if (results.length === 0) return;
  const column = <T>(pick: (result: AttemptResult) => T) => results.map(pick);
  const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
  await pool.query(COMPLETE_SQL, [
    column((r) => r.deliveryId),
    column((r) => r.attemptCount),
    column((r) => r.chain),
    column((r) => r.outcome),
    column((r) => r.nextAttemptAt),
    column((r) => r.rendered?.method ?? null),
    column((r) => r.rendered?.url ?? null),
    column((r) => json(r.rendered?.headers ?? null)),
    column((r) => r.rendered?.body ?? null),
    column((r) => (r.rendered ? r.payloadTemplate : null)),
    column((r) => (r.rendered ? r.urlTemplate : null)),
    column((r) => r.startedAt),
    column((r) => r.durationMs),
    column((r) => json(r.requestHeaders)),
    column((r) => r.responseStatus),
    column((r) => json(r.responseHeaders)),
    column((r) => r.responseBody),
    column((r) => r.responseBodyTruncated),
    column((r) => r.error),
    owner,
  ]);
  // Health is advisory: failing to record it must not make the batch be written again.
  await updateWebhookHealth(pool, results, health).catch((error: Error) =>
    console.error(`[worker] updating webhook health failed: ${error.message}`),
  );
}

const GONE_REASON =
  'The endpoint answered 410 Gone, so Herald turned this webhook off. Turn it back on once the endpoint exists again.';

/**
 * A success clears a webhook's failing streak; a failure starts one. A webhook whose deliveries
 * have only failed for the configured period (5 days by default), or whose endpoint answered 410,
 * is turned off with the reason shown.
 */
export interface HealthPolicy {
  /** Turn a webhook off after its deliveries have only failed for this long. */
  disableAfterMs: number;
}

async function updateWebhookHealth(
  pool: pg.Pool,
  results: readonly AttemptResult[],
  health: HealthPolicy,
): Promise<void> {
  const succeeded = [...new Set(results.filter((r) => r.outcome === 'DELIVERED').map((r) => r.webhookId))];
  const failed = [...new Set(results.filter((r) => r.sent && r.outcome !== 'DELIVERED').map((r) => r.webhookId))];
  const gone = [...new Set(results.filter((r) => r.gone).map((r) => r.webhookId))];
  if (succeeded.length > 0) {
    await pool.query('UPDATE webhooks SET failing_since = NULL WHERE id = ANY($1) AND failing_since IS NOT NULL', [
      succeeded,
    ]);
  }
  if (failed.length > 0) {
    await pool.query(
      'UPDATE webhooks SET failing_since = now() WHERE id = ANY($1) AND failing_since IS NULL AND NOT (id = ANY($2))',
      [failed, succeeded],
    );
    await pool.query(
      `UPDATE webhooks SET active = false, disabled_at = now(), last_modified_date = now(),
              disabled_reason = 'Every delivery failed for ' || $2 || ', so Herald turned this webhook off. Fix the endpoint, then turn it back on.'
        WHERE id = ANY($1) AND active AND failing_since < now() - $3 * interval '1 millisecond'`,
      [failed, periodText(health.disableAfterMs), health.disableAfterMs],
    );
  }
  if (gone.length > 0) {
    await pool.query(
      `UPDATE webhooks SET active = false, disabled_at = now(), last_modified_date = now(), disabled_reason = $2
        WHERE id = ANY($1) AND active`,
      [gone, GONE_REASON],
    );
  }
}

function periodText(ms: number): string {
  const days = ms / 86_400_000;
  if (Number.isInteger(days)) return `${days} day${days === 1 ? '' : 's'}`;
  const hours = ms / 3_600_000;
  if (Number.isInteger(hours)) return `${hours} hour${hours === 1 ? '' : 's'}`;
  return `${Math.round(ms / 1000)} seconds`;
}

/**
 * Gives back deliveries this worker claimed but will not send: the claim does not count as an
 * attempt. With `delayMs`, they also wait that long (behind other webhooks' deliveries), for a
 * webhook that already has its share of this worker's slots; without, they are due as before.
 */
export async function releaseLeases(
  pool: pg.Pool,
  owner: string,
  ids: readonly string[],
  delayMs: number | null = null,
): Promise<void> {
  if (ids.length === 0) return;
  await pool.query(
    `UPDATE deliveries SET lease_until = NULL, lease_owner = NULL, attempt_count = attempt_count - 1,
            next_attempt_at = COALESCE(now() + $3 * interval '1 millisecond', next_attempt_at)
      WHERE id = ANY($1) AND lease_owner = $2`,
    [ids, owner, delayMs],
  );
}
