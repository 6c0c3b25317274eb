import { database } from './client';

export type DatabaseHealth = { ok: true } | { ok: false; error: string };

/**
 * Whether a writable primary answers, for load balancers and orchestrators (`GET /healthz`).
 * A standby that answers is not healthy for Herald: every event it took would be refused.
 */
export async function databaseHealth(): Promise<DatabaseHealth> {
  try {
    const { rows } = await database().pool.query<{ recovery: boolean; read_only: string }>(
      "SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') AS read_only",
    );
    const row = rows[0];
    if (row?.recovery) return { ok: false, error: 'the database is a standby (in recovery)' };
    if (row?.read_only === 'on') return { ok: false, error: 'the database accepts read-only sessions only' };
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
