import { param, type Queryable, sql, statement } from '../db/sql';

// Joined to the ids rather than `id = ANY($1)`: each id then reaches only its own day's
// partition, where an array parameter would be looked up in every partition.
const RELEASE = statement(
  'outbox-release',
  { ids: param<readonly string[]>('uuid[]'), owner: param<string>(), until: param<Date | null>('timestamptz') },
  (p) => sql`UPDATE deliveries d SET lease_until = NULL, lease_owner = NULL, attempt_count = d.attempt_count - 1,
            next_attempt_at = COALESCE(${p.until}, d.next_attempt_at)
       FROM unnest(${p.ids}) AS r(id)
      WHERE d.id = r.id AND d.lease_owner = ${p.owner}`,
  { planEachRun: true },
);

/**
 * Gives back deliveries this worker claimed but will not send: the claim does not count as an
 * attempt. With `until`, they also wait until then (behind other webhooks' deliveries), for a
 * webhook that already has its share of this worker's slots; without, they are due as before.
 * The caller arms their webhook with the same time (see arm.ts): the queue then never says later
 * than the deliveries do, which the sweep would take for a lost arm.
 */
export async function releaseLeases(
  db: Queryable,
  owner: string,
  ids: readonly string[],
  until: Date | null = null,
): Promise<void> {
  if (ids.length === 0) return;
  await RELEASE.run(db, { ids, owner, until });
}
