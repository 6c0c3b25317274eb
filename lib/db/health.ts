import { database } from './client';

/** Whether the database answers, for load balancers and orchestrators (`GET /healthz`). */
export async function databaseHealth(): Promise<{ ok: true } | { ok: false; error: string }> {
  try {
    await database().pool.query('SELECT 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
