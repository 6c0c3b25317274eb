import { jsonParam, type Param, param, sql, statement } from '../db/sql';
import { type KeyToCommit, keysParam, storeIdempotencyKeys } from '../idempotency/store-sql';
import {
  EVENT_KEY_COLUMNS,
  keyHeads,
  keyHeadsParam,
  keyHistoryGate,
  previousEvent,
  seenParam,
} from '../key-history/key-heads-sql';
import { deliveriesParam, enqueueDeliveries } from '../outbox/enqueue';
import { contentItemsParam, rememberContentItems } from './remember-content-item';

/** An event row of the emit, as json_to_recordset reads it. */
export interface EventRow {
  id: string;
  /** 1-based place in the commit: its sequenceId is the hub's counter before the commit plus n. */
  n: number;
  name: string;
  request_id: string;
  payload: Record<string, unknown>;
  /** Left out of the JSON when there is none (undefined is not serialised): NULL. */
  trace_parent?: string;
  key: string | null;
  previous_in_batch: string | null;
}

function emitParams() {
  return {
    hubId: param<string>(),
    count: param<number>(),
    /** hubs.webhooks_version the plan was made with. */
    webhooksVersion: param<string>(),
    events: jsonParam<readonly EventRow[]>('json', (rows) => rows),
    deliveries: deliveriesParam(),
    contentItems: contentItemsParam(),
    keyHeads: keyHeadsParam(),
    seen: seenParam(),
  };
}

function keyedParams() {
  return { ...emitParams(), keys: keysParam() };
}

type EmitParams = ReturnType<typeof keyedParams>;

/**
 * The whole emit as ONE statement, so it costs one round trip and commits on its own (one fsync):
 * take the hub's counter (its row lock orders the hub's emits and keeps sequenceIds gap-free), but
 * only while the hub's webhooks are still the version the plan was made with; then the events,
 * their deliveries, the content items and the key history, each written once per row of `hub`:
 * when the version moved on, nothing is written and the emit plans again. Idempotency keys sent
 * with the events are stored by the same statement; one stored already fails it on the key's
 * primary key, so nothing is written and the request is answered what the key's first request was
 * (lib/api/ingest.ts), with no lookup before the emit. (An insert checks its primary key in the
 * index whatever plan a prepared statement keeps; a probe of the keys by a join in the statement
 * kept a plan made while the table was empty, and read the whole table at every emit.)
 */
function emitSql(p: Omit<EmitParams, 'keys'> & { keys?: Param<readonly KeyToCommit[]> }) {
  const hub = sql`hub`;
  const previous = previousEvent(sql`r`);
  return sql`
WITH hub AS (
  UPDATE hubs SET last_sequence_id = last_sequence_id + ${p.count}
   WHERE id = ${p.hubId} AND webhooks_version = ${p.webhooksVersion} AND ${keyHistoryGate(p.seen)}
  RETURNING last_sequence_id - ${p.count} AS base
), ${keyHeads({ gate: hub, hubId: p.hubId, rows: p.keyHeads })}
, new_events AS (
  INSERT INTO events (id, hub_id, sequence_id, name, request_id, payload, trace_parent, previous_event_id)
  SELECT r.id, ${p.hubId}, hub.base + r.n, r.name, r.request_id, r.payload, r.trace_parent, ${previous.id}
    FROM hub, json_to_recordset(${p.events})
      AS r(id uuid, n bigint, name text, request_id text, payload json, trace_parent text, ${EVENT_KEY_COLUMNS})
    ${previous.join}
), ${enqueueDeliveries({ gate: hub, hubId: p.hubId, rows: p.deliveries })}
, ${rememberContentItems({ gate: hub, hubId: p.hubId, rows: p.contentItems })}
${p.keys ? sql`, ${storeIdempotencyKeys({ gate: hub, base: sql`hub.base`, hubId: p.hubId, rows: p.keys })}` : sql``}
SELECT hub.base::text AS base FROM hub`;
}

/**
 * Emits without an Idempotency-Key (nearly all of them) run the statement without the keys' CTE,
 * so they pay nothing for it; emits with one add that CTE (one insert) to the same statement.
 */
export const EMIT = statement<ReturnType<typeof emitParams>, { base: string }>('herald-emit', emitParams(), emitSql);
export const EMIT_WITH_KEYS = statement<EmitParams, { base: string }>('herald-emit-keyed', keyedParams(), emitSql);
