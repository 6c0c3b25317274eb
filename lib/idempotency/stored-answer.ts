import type pg from 'pg';
import { shiftedAnswer } from './answer';
import { FIND_KEY } from './store-sql';
import type { IdempotencyScope } from './types';

export interface StoredAnswer {
  /** SHA-256 of the body of the request that stored the key. */
  bodyHash: Buffer;
  /** The answer that request got, parsed. */
  answer: unknown;
}

/** The key's stored answer, or null: one primary-key lookup. */
export async function findStoredAnswer(pool: pg.Pool, scope: IdempotencyScope): Promise<StoredAnswer | null> {
  const { rows } = await FIND_KEY.run(pool, scope);
  const row = rows[0];
  if (!row) return null;
  // Keys stored before sequence_base existed hold their sequenceIds as they were sent.
  const answer = row.sequence_base === null ? row.answer : shiftedAnswer(row.answer, Number(row.sequence_base));
  return { bodyHash: row.body_hash, answer };
}

/**
 * Whether an emit failed because its key is stored: by an earlier request (a retry), or by one with
 * the same key on another web server that committed while this one waited for the hub's lock. The
 * key's primary key fails the emit statement, so it wrote nothing.
 */
export function isKeyTaken(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, constraint } = error as Error & { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'idempotency_keys_pkey';
}
