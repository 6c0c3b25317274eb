import type pg from 'pg';
import { database } from '../db/client';
import { type Param, param, sql, statement } from '../db/sql';

// Both lookups are by id, the events' partition key: one index probe each. The previous event may
// be gone (its day pruned): then there is no row, and the template has no `previous`.
const PREVIOUS_PAYLOAD = statement<{ eventId: Param<string>; hubId: Param<string> }, { payload: string }>(
  'herald-previous-payload',
  { eventId: param(), hubId: param() },
  (p) => sql`
SELECT p.payload::text AS payload
  FROM events e
  JOIN events p ON p.id = e.previous_event_id AND p.hub_id = e.hub_id
 WHERE e.id = ${p.eventId} AND e.hub_id = ${p.hubId}`,
);

/**
 * The payload of the event before `eventId` of the same key, as its stored JSON text: what it was
 * when the event was emitted, however many events of the key came in since. Null when there is
 * none (the key's first event, a keyless event, or one whose previous event was pruned).
 */
export async function previousPayloadJson(
  eventId: string,
  hubId: string,
  pool: pg.Pool = database().pool,
): Promise<string | null> {
  const { rows } = await PREVIOUS_PAYLOAD.run(pool, { eventId, hubId });
  return rows[0]?.payload ?? null;
}
