import type pg from 'pg';

/**
 * The activity log is not kept forever: events older than the retention period go, with their
 * deliveries and attempts (cascade), unless one of their deliveries is still queued or retrying.
 * Deleted in small batches so the log's tables are never locked for long; one worker at a time
 * (an advisory lock), however many run.
 */
const RETENTION_LOCK_KEY = 72_657_262;
const BATCH = 1000;

export async function pruneActivityLog(pool: pg.Pool, retentionMs: number): Promise<number> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      RETENTION_LOCK_KEY,
    ]);
    if (!rows[0]?.locked) return 0;
    try {
      let total = 0;
      for (;;) {
        const { rowCount } = await client.query(
          `DELETE FROM events WHERE id IN (
             SELECT e.id FROM events e
              WHERE e.created_date < now() - $1 * interval '1 millisecond'
                AND NOT EXISTS (SELECT 1 FROM deliveries d
                                 WHERE d.event_id = e.id AND d.status IN ('QUEUED', 'RETRYING'))
              LIMIT $2)`,
          [retentionMs, BATCH],
        );
        total += rowCount ?? 0;
        if ((rowCount ?? 0) < BATCH) return total;
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
