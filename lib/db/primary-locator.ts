import pg from 'pg';
import type { DatabaseHost, DatabaseTarget, TargetSessionAttrs } from '../config/database-url';
import { errorMessage } from '../errors';
import { DatabaseUnavailableError } from './unavailable';

/** How long one host may take to accept a connection when DATABASE_URL sets no connect_timeout. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export function connectTimeoutOf(target: DatabaseTarget): number {
  return target.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
}

/**
 * Why a connected session cannot serve `attrs`, or null when it can: libpq's rules, read-write
 * needs a server out of recovery whose sessions default to writable, primary one out of recovery.
 */
export async function sessionRefusal(client: pg.ClientBase, attrs: TargetSessionAttrs): Promise<string | null> {
  if (attrs === 'any') return null;
  const { rows } = await client.query<{ recovery: boolean; read_only: string }>(
    "SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') AS read_only",
  );
  const row = rows[0];
  if (!row) return 'did not say whether it is a primary';
  if (row.recovery) return 'is a standby (in recovery)';
  if (attrs === 'read-write' && row.read_only === 'on') return 'accepts read-only sessions only';
  return null;
}

/**
 * Which host of a multi-host DATABASE_URL to connect to: the one found suitable last time, or,
 * once that one has failed, the first in order that accepts a suitable session now (libpq's
 * order). Every connection still checks its own session when it is made (failover-client.ts):
 * this only spares each new connection a walk through hosts that are down.
 */
export class PrimaryLocator {
  private known: DatabaseHost | null;
  private search: Promise<DatabaseHost> | null = null;

  constructor(readonly target: DatabaseTarget) {
    // One host: nothing to choose, and its failure is reported by the connection itself.
    this.known = target.hosts.length === 1 ? (target.hosts[0] ?? null) : null;
  }

  async host(): Promise<DatabaseHost> {
    if (this.known) return this.known;
    this.search ??= this.discover().finally(() => {
      this.search = null;
    });
    return this.search;
  }

  /** The host failed or is no longer suitable: the next connection looks again. */
  forget(host: DatabaseHost | null): void {
    if (host && this.target.hosts.length > 1 && this.known === host) this.known = null;
  }

  private async discover(): Promise<DatabaseHost> {
    const refusals: string[] = [];
    for (const host of this.target.hosts) {
      const refusal = await this.probe(host);
      if (refusal === null) {
        this.known = host;
        return host;
      }
      refusals.push(`${host.label} ${refusal}`);
    }
    throw new DatabaseUnavailableError(
      `no host of DATABASE_URL accepts a ${this.target.targetSessionAttrs} session: ${refusals.join('; ')}`,
    );
  }

  private async probe(host: DatabaseHost): Promise<string | null> {
    const client = new pg.Client({
      connectionString: host.url,
      connectionTimeoutMillis: connectTimeoutOf(this.target),
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await sessionRefusal(client, this.target.targetSessionAttrs);
    } catch (error) {
      return `cannot be reached (${errorMessage(error)})`;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

const locators = new Map<string, PrimaryLocator>();

/** One locator per DATABASE_URL in a process, so its pools and LISTEN connections agree. */
export function locatorFor(url: string, target: DatabaseTarget): PrimaryLocator {
  let locator = locators.get(url);
  if (!locator) {
    locator = new PrimaryLocator(target);
    locators.set(url, locator);
  }
  return locator;
}
