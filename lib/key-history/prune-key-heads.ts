import type pg from 'pg';

/**
 * Retention's share of key history (lib/activity-log/retention.ts drops events by the day): a key
 * whose latest event is gone loses its row, so its next event counts as its first; a row whose
 * displaced event is gone forgets it. Events are uuid7-ordered, so "gone" is "below the oldest
 * kept day's lower bound". Events still pointing into a dropped day need nothing: looking their
 * previous event up finds no row. One statement on a table of one row per key: the lookups have
 * no index on event_id on purpose (the emit's upsert stays a HOT update), so this scans it once.
 * SKIP LOCKED: a row an emit is writing gets a newer event anyway, and retention never waits on an
 * emit that may be waiting on it (two stale keys revived by one batch would otherwise deadlock).
 */
const PRUNE_SQL = `
WITH gone AS (
  DELETE FROM event_key_heads WHERE ctid IN (
    SELECT ctid FROM event_key_heads WHERE event_id < $1::uuid FOR UPDATE SKIP LOCKED)
  RETURNING 1
), cleared AS (
  UPDATE event_key_heads SET displaced_event_id = NULL WHERE ctid IN (
    SELECT ctid FROM event_key_heads
     WHERE displaced_event_id < $1::uuid AND event_id >= $1::uuid FOR UPDATE SKIP LOCKED)
  RETURNING 1
)
SELECT (SELECT count(*) FROM gone)::int AS deleted`;

/** Deletes the key heads of events below `floor` (a uuid: the oldest kept day's lower bound). */
export async function pruneKeyHeads(db: Pick<pg.ClientBase, 'query'>, floor: string): Promise<number> {
  const { rows } = await db.query<{ deleted: number }>(PRUNE_SQL, [floor]);
  return rows[0]?.deleted ?? 0;
}
