import type pg from 'pg';

// Small batches: an hourly prune never holds many row locks or a long transaction.
const BATCH = 5000;

/**
 * Deletes idempotency keys stored more than `retentionMs` ago, oldest first, in batches (the
 * worker calls this hourly with IDEMPOTENCY_KEY_RETENTION_MS). Returns how many went.
 */
export async function pruneIdempotencyKeys(pool: pg.Pool, retentionMs: number): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM idempotency_keys WHERE (hub_id, client_id, key) IN (
         SELECT hub_id, client_id, key FROM idempotency_keys
          WHERE created_date < now() - $1 * interval '1 millisecond'
          ORDER BY created_date LIMIT ${BATCH})`,
      [retentionMs],
    );
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < BATCH) return total;
  }
}
