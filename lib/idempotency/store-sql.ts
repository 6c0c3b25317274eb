import type { KeyToStore } from './types';

/**
 * A key to store, with the events its request created: `first` and `count` locate them in the
 * emit's rows (whose `n`, 1-based, places each under the hub's counter).
 */
export interface KeyToCommit extends KeyToStore {
  /** `events:batch` answers `{ events: [...] }`; a single event answers the event itself. */
  batch: boolean;
  events: { id: string; n: number; deliveries: { id: string; webhookId: string; status: string }[] }[];
}

/** The keys as the JSON rows storeIdempotencyKeysSql reads. */
export function idempotencyKeyRows(keys: readonly KeyToCommit[]): string {
  return JSON.stringify(
    keys.map((key) => ({
      client_id: key.clientId,
      key: key.key,
      body_hash: key.bodyHash.toString('hex'),
      batch: key.batch,
      events: key.events,
    })),
  );
}

/**
 * A data-modifying CTE of the emit statement (lib/events/commit-events.ts): stores each key of
 * `rows` (a json placeholder bound to idempotencyKeyRows) with its body's hash and the answer,
 * once per row of `gate` (the CTE holding the hub's lock, whose `base` the sequenceIds count
 * from). The key commits with its events or not at all, so a 202 implies the key is stored and a
 * stored key implies its events exist.
 *
 * The answer is built here because sequenceIds are known only under the hub's lock. It has the
 * shape and key order of the answer lib/api/ingest.ts sends (`{ id, sequenceId, deliveries }`,
 * or `{ events: [...] }` for a batch): json keeps that order, so a replay serialises to the same
 * bytes (tests/integration/idempotent-ingest.test.ts compares them). A key already stored fails
 * the statement on the primary key (isKeyTaken tells that error apart).
 */
export function storeIdempotencyKeysSql(names: { gate: string; base: string; hubId: string; rows: string }): string {
  return `stored_keys AS (
  INSERT INTO idempotency_keys (hub_id, client_id, key, body_hash, answer)
  SELECT ${names.hubId}, k.client_id, k.key, decode(k.body_hash, 'hex'),
         CASE WHEN k.batch THEN json_build_object('events', a.events) ELSE a.events -> 0 END
    FROM ${names.gate},
         json_to_recordset(${names.rows}::json)
           AS k(client_id text, key text, body_hash text, batch boolean, events json),
         LATERAL (
           SELECT json_agg(
                    json_build_object('id', e.id, 'sequenceId', ${names.base} + e.n, 'deliveries', e.deliveries)
                    ORDER BY e.n) AS events
             FROM json_to_recordset(k.events) AS e(id text, n bigint, deliveries json)
         ) AS a
)`;
}
