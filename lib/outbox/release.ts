import type pg from 'pg';

/**
 * Gives back deliveries this worker claimed but will not send: the claim does not count as an
 * attempt. With `delayMs`, they also wait that long (behind other webhooks' deliveries), for a
 * webhook that already has its share of this worker's slots; without, they are due as before.
 */
export async function releaseLeases(
  pool: pg.Pool,
  owner: string,
  ids: readonly string[],
  delayMs: number | null = null,
): Promise<void> {
  if (ids.length === 0) return;
  // Joined to the ids rather than `id = ANY($1)`: each id then reaches only its own day's
  // partition, where an array parameter would be looked up in every partition.
  await pool.query(
    `UPDATE deliveries d SET lease_until = NULL, lease_owner = NULL, attempt_count = d.attempt_count - 1,
            next_attempt_at = COALESCE(now() + $3 * interval '1 millisecond', d.next_attempt_at)
       FROM unnest($1::uuid[]) AS r(id)
      WHERE d.id = r.id AND d.lease_owner = $2`,
    [ids, owner, delayMs],
  );
}
