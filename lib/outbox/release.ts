import { param, type Queryable, sql, statement } from '../db/sql';

// Joined to the ids rather than `id = ANY($1)`: each id then reaches only its own day's
// partition, where an array parameter would be looked up in every partition.
const RELEASE = statement(
  'outbox-release',
  { ids: param<readonly string[]>('uuid[]'), owner: param<string>(), delayMs: param<number | null>() },
  (p) => sql`UPDATE deliveries d SET lease_until = NULL, lease_owner = NULL, attempt_count = d.attempt_count - 1,
            next_attempt_at = COALESCE(now() + ${p.delayMs} * interval '1 millisecond', d.next_attempt_at)
       FROM unnest(${p.ids}) AS r(id)
      WHERE d.id = r.id AND d.lease_owner = ${p.owner}`,
  { planEachRun: true },
);

/**
 * Gives back deliveries this worker claimed but will not send: the claim does not count as an
 * attempt. With `delayMs`, they also wait that long (behind other webhooks' deliveries), for a
 * webhook that already has its share of this worker's slots; without, they are due as before.
 */
export async function releaseLeases(
  db: Queryable,
  owner: string,
  ids: readonly string[],
  delayMs: number | null = null,
): Promise<void> {
  if (ids.length === 0) return;
  await RELEASE.run(db, { ids, owner, delayMs });
}
