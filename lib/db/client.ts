import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { env } from '../config/env';
import { logger } from '../logger';
import { createPool } from './failover-client';
import { Prisma, PrismaClient } from './generated/client';

export type { Prisma } from './generated/client';
export { PrismaClient };
/** JSON `null` in a Json column (a plain null would mean SQL NULL). */
export const JSON_NULL = Prisma.JsonNull;

function createPrisma(pool: pg.Pool) {
  return new PrismaClient({
    adapter: new PrismaPg(pool),
    // Secrets are decrypted only where a caller asks for them explicitly.
    omit: {
      webhook: { secretCiphertext: true, previousSecretCiphertext: true },
      webhookHeader: { valueCiphertext: true },
      apiClient: { secretHash: true },
      user: { passwordHash: true },
    },
  });
}

export type HeraldPrisma = ReturnType<typeof createPrisma>;

export interface Database {
  readonly url: string;
  /** Shared with Prisma: the outbox queries run raw on the same connections. */
  readonly pool: pg.Pool;
  readonly prisma: HeraldPrisma;
  /** Runs when the database is closed, before its pool (connections of their own, such as LISTEN). */
  onClose(cleanup: () => Promise<void>): void;
  close(): Promise<void>;
}

export interface ConnectOptions {
  max?: number;
  /**
   * Commit without waiting for the WAL to reach the disk. Only for writes that are replayed when
   * lost: a database crash may then forget the last fraction of a second of them, never more.
   */
  asynchronousCommit?: boolean;
}

export function connect(url: string, options: ConnectOptions = {}): Database {
  // Its connections go to a writable host of DATABASE_URL and are dropped, not reused, once
  // their host fails or turns standby (failover-client.ts).
  const pool = createPool(url, {
    max: options.max ?? 10,
    options: options.asynchronousCommit ? '-c synchronous_commit=off' : undefined,
  });
  // An idle client losing its server (database restart, failover) must not crash the process.
  pool.on('error', (error) => logger('db').warn(`idle client error: ${error.message}`));
  const prisma = createPrisma(pool);
  const cleanups: (() => Promise<void>)[] = [];
  return {
    url,
    pool,
    prisma,
    onClose: (cleanup) => void cleanups.push(cleanup),
    async close() {
      for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => undefined);
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}

const globalForDb = globalThis as unknown as { heraldDb?: Database };

/** The process-wide database, from DATABASE_URL (set by `npm start` for its children). */
export function database(): Database {
  if (!globalForDb.heraldDb) {
    const { DATABASE_URL: url, HERALD_DB_POOL_SIZE } = env();
    if (!url) throw new Error('DATABASE_URL is not set (npm start sets it; npm run web/worker need it)');
    globalForDb.heraldDb = connect(url, { max: HERALD_DB_POOL_SIZE });
  }
  return globalForDb.heraldDb;
}

export function prisma(): HeraldPrisma {
  return database().prisma;
}

export async function closeDatabase(): Promise<void> {
  const current = globalForDb.heraldDb;
  globalForDb.heraldDb = undefined;
  await current?.close();
}
