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

/** An emit wrote nothing because one of its Idempotency-Keys is stored already. */
export class IdempotencyKeyTakenError extends Error {
  constructor() {
    super('an Idempotency-Key of this emit is stored already');
  }
}

/**
 * Whether an emit failed because its key is stored: seen before the emit took the hub's lock, or
 * stored meanwhile, by a request with the same key on another web server that committed while
 * this one waited for that lock (its primary key then fails the statement).
 */
export function isKeyTaken(error: unknown): boolean {
  if (error instanceof IdempotencyKeyTakenError) return true;
  if (!(error instanceof Error)) return false;
  const { code, constraint } = error as Error & { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'idempotency_keys_pkey';
}
