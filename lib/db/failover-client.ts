import pg from 'pg';
import { type DatabaseHost, type DatabaseTarget, parseDatabaseUrl } from '../config/database-url';
import { logger } from '../logger';
import { connectTimeoutOf, locatorFor, type PrimaryLocator, sessionRefusal } from './primary-locator';
import { DatabaseUnavailableError, isFailoverSqlState } from './unavailable';

/**
 * Every connection Herald makes goes through here: pools (as pg.Pool's `Client` class), LISTEN
 * connections and the migrate step (connectClient). A connection goes to the host the locator
 * names, checks its own session against target_session_attrs, and retires itself after an error
 * that says its host can no longer serve writes, so a pool drops it instead of handing it out
 * again. Prepared statements live on a connection (pg keeps their names per client), so a new
 * connection prepares them afresh.
 */

type ConnectCallback = ((err: Error) => void) | ((err: null, client: pg.Client) => void);

function createClientClass(target: DatabaseTarget, locator: PrimaryLocator) {
  const first = target.hosts[0];
  if (!first) throw new DatabaseUnavailableError('DATABASE_URL names no host');
  const firstUrl = first.url;
  return class FailoverClient extends pg.Client {
    private serving: DatabaseHost | null = null;
    private retired = false;

    constructor(config: pg.ClientConfig = {}) {
      super({
        keepAlive: true,
        connectionTimeoutMillis: connectTimeoutOf(target),
        ...config,
        connectionString: firstUrl,
      });
      // A connection that breaks while checked out of a pool has no pool listener: without one of
      // its own its 'error' would end the process. Whoever is using it sees the failure anyway.
      this.on('error', (error: Error) => this.retire(error.message));
      this.connection.on('errorMessage', (message: { code?: string; message?: string }) => {
        if (isFailoverSqlState(message.code)) this.retire(`${message.code} ${message.message ?? ''}`.trim());
      });
    }

    override connect(): Promise<pg.Client>;
    override connect(callback: ConnectCallback): void;
    override connect(callback?: ConnectCallback): Promise<pg.Client> | undefined {
      const connected = this.connectToSuitableHost();
      if (!callback) return connected;
      connected.then(
        (client) => (callback as (err: null, client: pg.Client) => void)(null, client),
        (error: Error) => (callback as (err: Error) => void)(error),
      );
      return undefined;
    }

    private async connectToSuitableHost(): Promise<pg.Client> {
      const host = await locator.host();
      this.serving = host;
      // pg reads the address from these when it connects; an empty host is pg's default socket.
      if (host.host !== '') {
        this.host = host.host;
        this.port = host.port;
      }
      try {
        await super.connect();
      } catch (error) {
        locator.forget(host);
        throw error;
      }
      let refusal: string | null;
      try {
        refusal = await sessionRefusal(this, target.targetSessionAttrs);
      } catch (error) {
        locator.forget(host);
        await this.end().catch(() => undefined);
        throw error;
      }
      if (refusal) {
        locator.forget(host);
        await this.end().catch(() => undefined);
        throw new DatabaseUnavailableError(`${host.label} ${refusal}`);
      }
      return this;
    }

    /**
     * This connection's host cannot serve writes (it went away, shut down, or became a standby):
     * close it once the current error has reached its caller, so a pool removes it on release
     * (pg-pool drops a client that is ending), and let the next connection look for the primary.
     */
    private retire(reason: string): void {
      if (this.retired) return;
      this.retired = true;
      locator.forget(this.serving);
      logger('db').debug(`dropping a connection to ${this.serving?.label ?? 'the database'}: ${reason}`);
      setImmediate(() => void this.end().catch(() => undefined));
    }
  };
}

interface Connector {
  target: DatabaseTarget;
  Client: ReturnType<typeof createClientClass>;
}

const connectors = new Map<string, Connector>();

function connectorFor(url: string): Connector {
  let connector = connectors.get(url);
  if (!connector) {
    const target = parseDatabaseUrl(url);
    connector = { target, Client: createClientClass(target, locatorFor(url, target)) };
    connectors.set(url, connector);
  }
  return connector;
}

/** The parsed DATABASE_URL (hosts, target_session_attrs), for messages and checks. */
export function databaseTargetOf(url: string): DatabaseTarget {
  return connectorFor(url).target;
}

/** A pool whose connections go to a suitable host of `url` (one or several, libpq's form). */
export function createPool(url: string, config: Omit<pg.PoolConfig, 'connectionString' | 'Client'> = {}): pg.Pool {
  return new pg.Pool({ ...config, Client: connectorFor(url).Client });
}

/**
 * One connection of its own (LISTEN, migrations) to a suitable host. A host remembered from
 * before that has gone costs one failed attempt, then the hosts are tried in order.
 */
export async function connectClient(url: string, config: Omit<pg.ClientConfig, 'connectionString'> = {}) {
  const { Client } = connectorFor(url);
  for (let attempt = 1; ; attempt++) {
    const client = new Client(config);
    try {
      return await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      // The locator already walked every host: trying again at once would walk them again.
      if (error instanceof DatabaseUnavailableError || attempt >= 2) throw error;
    }
  }
}
