import { jsonParam, type Param, param, type Sql, sql } from '../db/sql';
import type { BatchKeys } from './key-history';

/**
 * The emit statement's share of key history (lib/events/commit-events.ts composes it): the hub
 * gate when the plan read stored heads, the upsert of each key's latest event, and each new event's
 * pointer to the previous event of its key.
 *
 * Why the pointer is found by the upsert rather than from what the plan read: the statement's
 * snapshot is taken before it waits for the hub's lock, so a read in it could miss an event another
 * process committed meanwhile. ON CONFLICT DO UPDATE sees the latest committed row whatever the
 * snapshot, and `displaced_event_id` hands its old `event_id` back through RETURNING.
 */

/** A batch's keys and its events' ids, in the order of the batch. */
export interface KeyedEvents {
  batch: BatchKeys;
  ids: readonly string[];
}

/** The key heads the statement upserts: one row per key, the batch's last event of it. */
export function keyHeadsParam(): Param<KeyedEvents> {
  return jsonParam('jsonb', ({ batch, ids }) => {
    const latest = new Map<string, string>();
    batch.keys.forEach((key, index) => {
      const id = ids[index];
      if (key !== null && id !== undefined) latest.set(key, id);
    });
    return [...latest].map(([key, eventId]) => ({ key, event_id: eventId }));
  });
}

/** The fields each event row (the emit's recordset) carries for its pointer. */
export function eventKeyFields(batch: BatchKeys, ids: readonly string[], index: number) {
  const earlier = batch.earlier[index] ?? -1;
  return { key: batch.keys[index] ?? null, previous_in_batch: earlier >= 0 ? (ids[earlier] ?? null) : null };
}

/** The recordset columns eventKeyFields adds, for the events' `AS r(...)`. */
export const EVENT_KEY_COLUMNS = sql`key text, previous_in_batch uuid`;

/**
 * A condition for the hub CTE's WHERE: when the plan used stored heads (`seen` is the hub's
 * sequence it read them at), no event may have come in since, or `changed` filters were evaluated
 * against a version that is no longer the previous one: the emit then writes nothing and plans
 * again. NULL (no `changed` filter was evaluated) gates nothing.
 */
export function keyHistoryGate(seen: Param<string | null>): Sql {
  return sql`(${seen} IS NULL OR last_sequence_id = ${seen})`;
}

/** The hub's sequence (bigint, as text) the plan read stored heads at, or null. */
export function seenParam(): Param<string | null> {
  return param('bigint');
}

/** The upsert CTE `key_heads`, once per row of `gate`; it returns each key's event before it. */
export function keyHeads(names: { gate: Sql; hubId: Param<string>; rows: Param<KeyedEvents> }): Sql {
  return sql`key_heads AS (
  INSERT INTO event_key_heads AS h (hub_id, key, event_id)
  SELECT ${names.hubId}, r.key, r.event_id
    FROM ${names.gate}, jsonb_to_recordset(${names.rows}) AS r(key text, event_id uuid)
  ON CONFLICT (hub_id, key) DO UPDATE SET event_id = EXCLUDED.event_id, displaced_event_id = h.event_id
  RETURNING h.key, h.displaced_event_id
)`;
}

/** The join that gives an event row `r` (with EVENT_KEY_COLUMNS) its previous event, and the id itself. */
export function previousEvent(row: Sql): { join: Sql; id: Sql } {
  return {
    join: sql`LEFT JOIN key_heads ON ${row}.previous_in_batch IS NULL AND key_heads.key = ${row}.key`,
    id: sql`COALESCE(${row}.previous_in_batch, key_heads.displaced_event_id)`,
  };
}
