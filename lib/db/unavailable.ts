/**
 * Errors that mean "no writable database right now" (a primary dying, a standby being promoted,
 * a host that turned read-only), as opposed to errors of the query itself. Callers answer them
 * with 503 and Retry-After, back off and go on; connections that saw one are dropped, not reused.
 */

/** Thrown when no host of DATABASE_URL accepts a session of the kind asked for. */
export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/**
 * SQLSTATEs after which the connection (or the host) cannot serve Herald's writes: 57P01
 * admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting, shutting down, in
 * recovery), 25006 read_only_sql_transaction (the host is a standby now), 53300 too many
 * connections, and class 08 (connection exceptions).
 */
const FAILOVER_CODES = new Set(['57P01', '57P02', '57P03', '25006', '53300']);
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** pg reports a lost connection by message alone. */
const LOST_CONNECTION = /Connection terminated|not queryable|timeout expired|Client was closed|Connection ended/i;
/** What the Prisma adapter turns socket errors into. */
const PRISMA_UNREACHABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
/** Prisma's own codes for the same: can't reach, timed out, closed, pool timeout. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);

/** Whether a SQLSTATE means the connection or its host can no longer serve writes. */
export function isFailoverSqlState(code: string | undefined): boolean {
  return code !== undefined && (FAILOVER_CODES.has(code) || code.startsWith('08'));
}

/** Whether an error (pg's, Prisma's, or one wrapping them) means the database is unavailable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    if (current instanceof DatabaseUnavailableError) return true;
    const fields = current as {
      code?: unknown;
      kind?: unknown;
      message?: unknown;
      cause?: unknown;
      meta?: unknown;
      errors?: unknown;
      driverAdapterError?: unknown;
    };
    const code = typeof fields.code === 'string' ? fields.code : undefined;
    if (isFailoverSqlState(code) || (code && (SOCKET_CODES.has(code) || PRISMA_CODES.has(code)))) return true;
    if (typeof fields.kind === 'string' && PRISMA_UNREACHABLE_KINDS.has(fields.kind)) return true;
    if (fields.kind === 'postgres' && isFailoverSqlState(code)) return true;
    if (current instanceof Error && LOST_CONNECTION.test(current.message)) return true;
    pending.push(fields.cause, fields.meta, fields.driverAdapterError);
    if (Array.isArray(fields.errors)) pending.push(...fields.errors);
  }
  return false;
}

/** How long a client should wait before trying again: about what a promotion takes. */
export const RETRY_AFTER_SECONDS = 2;
