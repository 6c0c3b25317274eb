import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import type { PostgresBinaries } from './embedded-binaries';
import { EmbeddedPostgresError } from './embedded-error';
import type { PostgresUser } from './postgres-user';

/**
 * The PostgreSQL server process of an embedded cluster, run and watched by Herald itself: a
 * postmaster that dies without being asked to (killed, crashed) is started again on the same
 * port, so the connection URL handed to the web app and the worker stays valid and their pools
 * simply reconnect. When it cannot be brought back, `onFatal` says so: never a silent outage.
 */

export interface ServerSpec {
  binaries: PostgresBinaries;
  clusterDir: string;
  port: number;
  password: string;
  /** Set when running as root: PostgreSQL then runs as this user. */
  user?: PostgresUser;
  flags: string[];
  /** Its own process group, so a Ctrl-C reaches only Herald, which then stops it last. */
  detached: boolean;
  log: (line: string) => void;
}

export interface SupervisorHooks {
  onRestart(reason: string): void;
  onFatal(error: EmbeddedPostgresError): void;
}

const RESTART_ATTEMPTS = 6;
/** More crashes than this within CRASH_WINDOW_MS means restarting is not helping. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 5 * 60_000;

export async function initCluster(spec: Omit<ServerSpec, 'port' | 'flags' | 'detached'>): Promise<void> {
  await mkdir(spec.clusterDir, { recursive: true, mode: 0o700 });
  if (spec.user) await chown(spec.clusterDir, spec.user.uid, spec.user.gid);
  // Beside the cluster directory, which the postgres user can reach; readable by it alone.
  const passwordFile = path.join(path.dirname(spec.clusterDir), `.initdb-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${spec.password}\n`, { mode: 0o600, flag: 'wx' });
  try {
    if (spec.user) await chown(passwordFile, spec.user.uid, spec.user.gid);
    const args = [`--pgdata=${spec.clusterDir}`, '--auth=scram-sha-256', '--username=postgres'];
    args.push(`--pwfile=${passwordFile}`, '--encoding=UTF8', '--no-locale');
    const child = spawn(spec.binaries.initdb, args, spawnOptions(spec.user, false));
    const output = collectOutput(child, spec.log);
    const outcome = await exitOf(child);
    if (outcome !== 'exit code 0') throw new Error(`initdb failed (${outcome}): ${output.join(' ')}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

export class SupervisedPostgres {
  private child: ChildProcess | undefined;
  private stopping = false;
  private recovery: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();
  private readonly crashes: number[] = [];

  constructor(
    private readonly spec: ServerSpec,
    private readonly hooks: SupervisorHooks,
  ) {}

  /** For a process that is exiting and cannot wait: PostgreSQL then shuts down on its own. */
  stopWithoutWaiting(): void {
    this.stopping = true;
    this.abort.abort();
    this.child?.kill('SIGINT');
  }

  async start(): Promise<void> {
    this.adopt(await launch(this.spec));
  }

  /** Fast shutdown (SIGINT): sessions are ended, the data is flushed, nothing is lost. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.recovery;
    const child = this.child;
    this.child = undefined;
    if (child) await terminate(child);
  }

  private adopt(child: ChildProcess): void {
    this.child = child;
    child.once('exit', (code, signal) => {
      if (this.stopping || this.child !== child) return;
      this.child = undefined;
      this.recovery = this.recover(describeExit(code, signal));
    });
  }

  private async recover(reason: string): Promise<void> {
    const now = Date.now();
    this.crashes.push(now);
    while (this.crashes.length > 0 && (this.crashes[0] ?? now) < now - CRASH_WINDOW_MS) this.crashes.shift();
    if (this.crashes.length > MAX_CRASHES) {
      this.fail(`it exited ${this.crashes.length} times in ${CRASH_WINDOW_MS / 60_000} minutes, last with ${reason}`);
      return;
    }
    let lastError = '';
    for (let attempt = 0; attempt < RESTART_ATTEMPTS && !this.stopping; attempt++) {
      // The killed postmaster's sessions hold its shared memory for a moment: back off and retry.
      if (attempt > 0) await delay(500 * 2 ** (attempt - 1), undefined, { signal: this.abort.signal }).catch(() => {});
      if (this.stopping) return;
      try {
        const child = await launch(this.spec);
        if (this.stopping) {
          await terminate(child);
          return;
        }
        this.adopt(child);
        this.hooks.onRestart(reason);
        return;
      } catch (error) {
        lastError = (error as Error).message;
      }
    }
    if (!this.stopping) this.fail(`it exited with ${reason} and could not be restarted: ${lastError}`);
  }

  private fail(why: string): void {
    this.hooks.onFatal(new EmbeddedPostgresError(`The embedded PostgreSQL in ${this.spec.clusterDir} is down: ${why}`));
  }
}

/** Starts the postmaster and resolves once it accepts our password on its port. */
async function launch(spec: ServerSpec): Promise<ChildProcess> {
  const args = ['-D', spec.clusterDir, '-p', String(spec.port), ...spec.flags];
  const child = spawn(spec.binaries.postgres, args, spawnOptions(spec.user, spec.detached));
  const output = collectOutput(child, spec.log);
  let exited: string | undefined;
  const exit = exitOf(child).then((outcome) => {
    exited = outcome;
  });
  const url = `postgres://postgres:${encodeURIComponent(spec.password)}@127.0.0.1:${spec.port}/postgres`;
  try {
    await Promise.race([exit, waitUntilServing(url, spec.clusterDir, () => exited !== undefined)]);
  } catch (error) {
    await terminate(child);
    throw error;
  }
  if (exited !== undefined) throw new Error(`postgres ${exited}: ${output.join(' ')}`);
  return child;
}

async function waitUntilServing(url: string, clusterDir: string, gaveUp: () => boolean): Promise<void> {
  while (!gaveUp()) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    client.on('error', () => {});
    try {
      await client.connect();
      const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
      // The port is ours only if the server behind it runs our cluster.
      if (rows[0]?.data_directory !== clusterDir) {
        throw new EmbeddedPostgresError(`Port ${new URL(url).port} is taken by another PostgreSQL.`);
      }
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (error instanceof EmbeddedPostgresError || code === '28P01' || code === '28000') throw error;
      await delay(100);
    } finally {
      await client.end().catch(() => {});
    }
  }
}

export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

function exitOf(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(describeExit(child.exitCode, child.signalCode));
      return;
    }
    // A spawn refused by the system (EACCES, ENOENT) emits 'error', and maybe never 'exit'.
    child.once('error', (error) => resolve(`could not run: ${error.message}`));
    child.once('exit', (code, signal) => resolve(describeExit(code, signal)));
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  const done = exitOf(child);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  await done;
}

function spawnOptions(user: PostgresUser | undefined, detached: boolean) {
  return {
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
    detached,
    stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'],
    // English messages whatever the locale: they end up in Herald's errors.
    env: { ...process.env, LC_MESSAGES: 'C' },
  };
}

/** Forwards output line by line and keeps the last lines, for error messages. */
function collectOutput(child: ChildProcess, log: (line: string) => void): string[] {
  const tail: string[] = [];
  const take = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      log(line.trimEnd());
      tail.push(line.trim());
      if (tail.length > 8) tail.shift();
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  child.on('error', () => {});
  return tail;
}
