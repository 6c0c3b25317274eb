import type pg from 'pg';
import { countOutcomesSql, LATENCY_BUCKETS_MS } from './stats-sql';
import type { AttemptResult } from './types';

/**
 * Outcomes go back in one statement per batch (`unnest` of per-row arrays, which Prisma cannot
 * express), with the per-minute counts the charts read; guarded by the lease so a worker that
 * lost its claim cannot overwrite the new owner's.
 */

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
  RETURNING d.id, d.webhook_id, d.hub_id, d.status, d.created_date
)${countOutcomesSql('updated', '$21')}
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
  pool: pg.Pool | pg.PoolClient,
  owner: string,
  results: readonly AttemptResult[],
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
    LATENCY_BUCKETS_MS,
  ]);
}
