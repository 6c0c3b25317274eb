import { execFile } from 'node:child_process';
import { appendFile, chmod, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * A PostgreSQL primary and a synchronous standby on loopback, built from the machine's own
 * binaries (`pg_config --bindir`), for the failover test and drill. As root, every PostgreSQL
 * command runs as the `postgres` user (PostgreSQL refuses to run as root), in a folder under
 * /var/tmp that it can traverse.
 */

const run = promisify(execFile);

export interface PostgresNode {
  name: string;
  dataDir: string;
  port: number;
  /** `postgres@127.0.0.1:port/postgres`. */
  adminUrl: string;
}

export interface ReplicatedPostgres {
  primary: PostgresNode;
  standby: PostgresNode;
  /** `postgresql://postgres@127.0.0.1:P1,127.0.0.1:P2/<database>?target_session_attrs=read-write`. */
  multiHostUrl(database: string): string;
  /** SIGKILL to the postmaster (its backends notice and exit): the primary's machine dies. */
  killPrimary(): Promise<void>;
  /** `pg_ctl promote` on the standby, waiting until it accepts writes. */
  promoteStandby(): Promise<void>;
  /** Stops whatever still runs and removes the data directories. */
  destroy(): Promise<void>;
}

export class PostgresBinariesMissingError extends Error {
  override name = 'PostgresBinariesMissingError';
}

/** The folder holding initdb, pg_ctl and pg_basebackup, from `pg_config --bindir`. */
export async function postgresBinDir(): Promise<string> {
  let bindir: string;
  try {
    bindir = (await run('pg_config', ['--bindir'])).stdout.trim();
  } catch (error) {
    throw new PostgresBinariesMissingError(
      `pg_config was not found (${(error as Error).message}): the failover test and drill need PostgreSQL's server ` +
        'binaries (Debian: apt-get install postgresql)',
    );
  }
  for (const binary of ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres']) {
    try {
      await run(path.join(bindir, binary), ['--version']);
    } catch {
      throw new PostgresBinariesMissingError(
        `${binary} is missing from ${bindir} (pg_config --bindir): install PostgreSQL's server package (Debian: postgresql)`,
      );
    }
  }
  return bindir;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary as the postgres user when we are root, as ourselves otherwise. */
async function runPostgres(bindir: string, binary: string, args: string[]): Promise<string> {
  const file = path.join(bindir, binary);
  const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  try {
    return (await run(command, commandArgs, { maxBuffer: 8 * 1024 * 1024 })).stdout;
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`${binary} ${args.join(' ')} failed: ${stderr?.trim() || message}`);
  }
}

export interface ReplicatedPostgresOptions {
  /** fsync and full-page writes on (the drill); off makes a test's cluster cheaper. */
  durable?: boolean;
}

export async function startReplicatedPostgres(options: ReplicatedPostgresOptions = {}): Promise<ReplicatedPostgres> {
  const bindir = await postgresBinDir();
  const root = await mkdtemp('/var/tmp/herald-replicated-');
  await chmod(root, 0o755);
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(root, Number(stdout.trim()), Number(gid.trim()));
  }
  const node = (name: string, port: number): PostgresNode => ({
    name,
    dataDir: path.join(root, name),
    port,
    adminUrl: `postgresql://postgres@127.0.0.1:${port}/postgres`,
  });
  const primary = node('primary', await freePort());
  const standby = node('standby', await freePort());
  const started = new Set<PostgresNode>();
  const durability = options.durable ? [] : ['fsync = off', 'full_page_writes = off'];
  const settings = (port: number) =>
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${root}'`,
      'wal_level = replica',
      'max_wal_senders = 5',
      'max_connections = 200',
      'wal_keep_size = 256MB',
      'shared_buffers = 64MB',
      // The drill's processes hold many connections; a dead peer must be noticed within seconds.
      'tcp_keepalives_idle = 5',
      'tcp_keepalives_interval = 2',
      'tcp_keepalives_count = 3',
      'wal_receiver_timeout = 5s',
      ...durability,
    ].join('\n');
  const start = async (target: PostgresNode) => {
    await runPostgres(bindir, 'pg_ctl', [
      'start',
      '-w',
      '-t',
      '60',
      '-D',
      target.dataDir,
      '-l',
      `${target.dataDir}.log`,
    ]);
    started.add(target);
  };
  const cluster: ReplicatedPostgres = {
    primary,
    standby,
    multiHostUrl: (database) =>
      `postgresql://postgres@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/${database}?target_session_attrs=read-write`,
    async killPrimary() {
      const pid = Number((await readFile(path.join(primary.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      process.kill(pid, 'SIGKILL');
      started.delete(primary);
    },
    async promoteStandby() {
      await runPostgres(bindir, 'pg_ctl', ['promote', '-w', '-t', '60', '-D', standby.dataDir]);
    },
    async destroy() {
      for (const target of started) {
        await runPostgres(bindir, 'pg_ctl', ['stop', '-m', 'immediate', '-w', '-D', target.dataDir]).catch(
          () => undefined,
        );
      }
      started.clear();
      await rm(root, { recursive: true, force: true });
    },
  };
  try {
    await runPostgres(bindir, 'initdb', [
      '-D',
      primary.dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    await appendFile(path.join(primary.dataDir, 'postgresql.conf'), `\n${settings(primary.port)}\n`);
    await start(primary);
    await runPostgres(bindir, 'pg_basebackup', [
      ...['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres'],
      ...['-D', standby.dataDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync'],
    ]);
    // The copied settings are the primary's; the standby listens on its own port. It names no
    // synchronous standby of its own: once promoted, a commit waiting for one would wait forever.
    await appendFile(
      path.join(standby.dataDir, 'postgresql.conf'),
      `\n${settings(standby.port)}\nsynchronous_standby_names = ''\n`,
    );
    await start(standby);
    await synchronous(primary);
    return cluster;
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
}

/** Makes the standby synchronous: a commit returns once the standby has the WAL on disk. */
async function synchronous(primary: PostgresNode): Promise<void> {
  const client = new pg.Client({ connectionString: primary.adminUrl });
  await client.connect();
  try {
    await client.query("ALTER SYSTEM SET synchronous_standby_names = '*'");
    await client.query('SELECT pg_reload_conf()');
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await client.query<{ sync_state: string }>('SELECT sync_state FROM pg_stat_replication');
      if (rows.some((row) => row.sync_state === 'sync')) return;
      if (Date.now() > deadline) throw new Error('the standby did not become synchronous within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}
