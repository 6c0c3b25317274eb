import type pg from 'pg';

// Small batches: an hourly prune never holds many row locks or a long transaction.
const BATCH = 5000;

/**
 * Deletes audit entries older than HERALD_AUDIT_RETENTION, oldest first, in batches (the worker
 * calls this hourly; a year of entries is the default). Returns how many went.
 */
export async function pruneAuditLog(pool: pg.Pool, retentionMs: number): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM audit_entries WHERE id IN (
         SELECT id FROM audit_entries WHERE created_date < now() - $1 * interval '1 millisecond'
          ORDER BY created_date LIMIT ${BATCH})`,
      [retentionMs],
    );
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < BATCH) return total;
  }
}
