import type pg from 'pg';
import { type Param, param, sql, statement } from '../db/sql';
import { eventKey } from '../event-keys/event-key';
import { FIRST_OF_KEY, type PreviousEvent } from '../filters/changed';

/**
 * The previous event of each event's key, as an emit needs it: for `changed` filters before the
 * hub's lock is taken (lib/events/commit-events.ts plans outside it), and for the pointer each
 * event row keeps to its previous event (written by the emit statement, key-heads-sql.ts).
 *
 * The key is the default one of lib/event-keys (content item, or edition): not a webhook setting,
 * because one event has one previous version whoever looks at it.
 */

export interface BatchKeys {
  /** Each event's key, null when it has none. */
  keys: (string | null)[];
  /** For each event, the index of the previous event of its key in the same batch, or -1. */
  earlier: number[];
}

/** The keys of a batch and how its events of one key chain to each other, in order. */
export function batchKeys(events: readonly { name: string; payload: Record<string, unknown> }[]): BatchKeys {
  const last = new Map<string, number>();
  const keys: (string | null)[] = [];
  const earlier: number[] = [];
  events.forEach((event, index) => {
    const key = eventKey(event);
    keys.push(key);
    earlier.push(key === null ? -1 : (last.get(key) ?? -1));
    if (key !== null) last.set(key, index);
  });
  return { keys, earlier };
}

/** The stored latest event of some keys, read in one snapshot with the hub's sequence then. */
export interface StoredHeads {
  /** hubs.last_sequence_id when read: the emit commits only if no event came in since (the plan used these). */
  seen: string;
  /** The standard envelope of each key's latest stored event. */
  envelopes: ReadonlyMap<string, unknown>;
}

// One statement, so the heads and the sequence are of the same snapshot. The join finds each
// event by its id (a partition key: one index probe per key); an event pruned since is not found.
const READ_HEADS = statement<
  { hubId: Param<string>; keys: Param<readonly string[]> },
  { seen: string; heads: { key: string; envelope: unknown }[] }
>(
  'herald-read-key-heads',
  { hubId: param(), keys: param('text[]') },
  (p) => sql`
SELECT h.last_sequence_id::text AS seen,
       COALESCE((
         SELECT json_agg(json_build_object('key', k.key, 'envelope', json_build_object(
                  'sequenceId', e.sequence_id, 'id', e.id, 'name', e.name, 'requestId', e.request_id,
                  'resource', e.hub_id, 'payload', e.payload)))
           FROM event_key_heads k
           JOIN events e ON e.id = k.event_id AND e.hub_id = k.hub_id
          WHERE k.hub_id = h.id AND k.key = ANY(${p.keys})), '[]'::json) AS heads
  FROM hubs h
 WHERE h.id = ${p.hubId}`,
);

/**
 * The latest stored event of each key of `keys` that has none earlier in the batch. Null when the
 * hub is gone (the emit then says so itself).
 */
export async function readStoredHeads(pool: pg.Pool, hubId: string, batch: BatchKeys): Promise<StoredHeads | null> {
  const wanted = new Set<string>();
  batch.keys.forEach((key, index) => {
    if (key !== null && batch.earlier[index] === -1) wanted.add(key);
  });
  const { rows } = await READ_HEADS.run(pool, { hubId, keys: [...wanted] });
  const row = rows[0];
  if (!row) return null;
  return { seen: row.seen, envelopes: new Map(row.heads.map(({ key, envelope }) => [key, envelope])) };
}

/**
 * The previous event of event `index` for its filters: an earlier one of the batch (`envelopes`,
 * as planned), else the stored head, else none (its key's first event, or one whose previous was
 * pruned).
 */
export function previousEventOf(
  batch: BatchKeys,
  stored: StoredHeads | null,
  index: number,
  envelopes: readonly unknown[],
): PreviousEvent {
  const key = batch.keys[index];
  if (key === null || key === undefined) return { kind: 'keyless' };
  const earlier = batch.earlier[index] ?? -1;
  if (earlier >= 0) return { kind: 'found', envelope: envelopes[earlier] };
  const envelope = stored?.envelopes.get(key);
  return envelope === undefined ? FIRST_OF_KEY : { kind: 'found', envelope };
}
