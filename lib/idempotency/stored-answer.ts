import type pg from 'pg';
import type { IdempotencyScope } from './types';

export interface StoredAnswer {
  /** SHA-256 of the body of the request that stored the key. */
  bodyHash: Buffer;
  /** The answer that request got, parsed. */
  answer: unknown;
}

/** The key's stored answer, or null: one primary-key lookup. */
export async function findStoredAnswer(pool: pg.Pool, scope: IdempotencyScope): Promise<StoredAnswer | null> {
  const { rows } = await pool.query<{ body_hash: Buffer; answer: unknown }>({
    name: 'herald-idempotency-lookup',
    text: 'SELECT body_hash, answer FROM idempotency_keys WHERE hub_id = $1 AND client_id = $2 AND key = $3',
    values: [scope.hubId, scope.clientId, scope.key],
  });
  const row = rows[0];
  return row ? { bodyHash: row.body_hash, answer: row.answer } : null;
}

/**
 * Whether an emit failed because its key was stored meanwhile: by a request with the same key on
 * another web server, which committed while this one waited for the hub's lock.
 */
export function isKeyTaken(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, constraint } = error as Error & { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'idempotency_keys_pkey';
}
