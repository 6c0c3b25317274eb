import type pg from 'pg';
import { bound, sql, statement } from './sql';

/**
 * Upkeep that one process at a time may do (creating partitions, dropping old ones): a session
 * advisory lock taken without waiting, so a second process skips the round instead of queueing
 * behind the first and then repeating its work.
 */
export interface AdvisoryLock {
  readonly tryLock: ReturnType<typeof tryLockStatement>;
  readonly unlock: ReturnType<typeof unlockStatement>;
}

const tryLockStatement = (name: string, key: number) =>
  statement<Record<string, never>, { locked: boolean }>(
    `${name}-try-lock`,
    {},
    () => sql`SELECT pg_try_advisory_lock(${bound(key)}) AS locked`,
  );

const unlockStatement = (name: string, key: number) =>
  statement(`${name}-unlock`, {}, () => sql`SELECT pg_advisory_unlock(${bound(key)})`);

/** `name` prefixes the lock's two statement names; `key` must be unique among Herald's locks. */
export function advisoryLock(name: string, key: number): AdvisoryLock {
  return { tryLock: tryLockStatement(name, key), unlock: unlockStatement(name, key) };
}

/** Runs `work` on one connection holding `lock`; null, without running it, when another session holds it. */
export async function whileLocked<T>(
  pool: pg.Pool,
  lock: AdvisoryLock,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T | null> {
  const client = await pool.connect();
  try {
    const { rows } = await lock.tryLock.run(client, {});
    if (!rows[0]?.locked) return null;
    try {
      return await work(client);
    } finally {
      await lock.unlock.run(client, {});
    }
  } finally {
    client.release();
  }
}
