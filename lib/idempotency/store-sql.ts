import { jsonParam, type Param, param, type Sql, sql, statement } from '../db/sql';
import { requestAnswer } from './answer';
import type { EventAnswer, KeyToStore } from './types';

/**
 * The idempotency keys' SQL: the fragment the emit statement stores keys with, and the lookup.
 * A key commits with its events or not at all, so a 202 implies the key is stored and a stored key
 * implies its events exist.
 */

/** A key to store, with the answer to the events its request created. */
export interface KeyToCommit extends KeyToStore {
  /** `events:batch` answers `{ events: [...] }`; a single event answers the event itself. */
  batch: boolean;
  /** sequenceIds here count from the hub's counter before the commit: 1 is the commit's first event. */
  events: readonly EventAnswer[];
}

export function keysParam(): Param<readonly KeyToCommit[]> {
  return jsonParam('json', (keys) =>
    keys.map((key) => ({
      client_id: key.clientId,
      key: key.key,
      body_hash: key.bodyHash.toString('hex'),
      answer: requestAnswer(key.events, key.batch),
    })),
  );
}

/**
 * A data-modifying CTE of the emit statement (lib/events/emit-sql.ts): stores each key of `rows`
 * with its body's hash and its answer, once per row of `gate`, the CTE holding the hub's lock,
 * whose `base` is the counter the answer's sequenceIds count from. The answer is built by Herald
 * (requestAnswer); stored as json, it keeps its key order. A key already stored fails the
 * statement on the primary key (isKeyTaken tells that error apart).
 */
export function storeIdempotencyKeys(names: {
  gate: Sql;
  base: Sql;
  hubId: Param<string>;
  rows: Param<readonly KeyToCommit[]>;
}): Sql {
  return sql`stored_keys AS (
  INSERT INTO idempotency_keys (hub_id, client_id, key, body_hash, answer, sequence_base)
  SELECT ${names.hubId}, k.client_id, k.key, decode(k.body_hash, 'hex'), k.answer, ${names.base}
    FROM ${names.gate}, json_to_recordset(${names.rows}) AS k(client_id text, key text, body_hash text, answer json)
)`;
}

/** One primary-key probe. */
export const FIND_KEY = statement<
  { hubId: Param<string>; clientId: Param<string>; key: Param<string> },
  { body_hash: Buffer; answer: unknown; sequence_base: string | null }
>(
  'herald-idempotency-lookup',
  { hubId: param(), clientId: param(), key: param() },
  (p) => sql`SELECT body_hash, answer, sequence_base FROM idempotency_keys
 WHERE hub_id = ${p.hubId} AND client_id = ${p.clientId} AND key = ${p.key}`,
);
