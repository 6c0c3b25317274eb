import { readFileSync, unlinkSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { z } from 'zod';
import { EmbeddedPostgresError } from './embedded-error';

/**
 * Who runs a data directory's PostgreSQL. The Herald process that starts it holds a lock file in
 * the data directory naming itself (pid and process start time, so a recycled pid does not pass
 * for it). Another Herald (the CLI beside `npm start`) then knows the server is in use and must be
 * left running; a postmaster with no live owner was left behind by a Herald that was killed.
 */

const LOCK_FILE = 'embedded-postgres.owner';
const ZOwner = z.object({ pid: z.number().int().positive(), started: z.string() });
type Owner = z.infer<typeof ZOwner>;

export type Ownership = { acquired: true; release(): void } | { acquired: false; ownerPid: number };

export async function claimOwnership(dataDir: string): Promise<Ownership> {
  const file = path.join(dataDir, LOCK_FILE);
  const mine: Owner = { pid: process.pid, started: startMark(process.pid) };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, JSON.stringify(mine), { flag: 'wx', mode: 0o644 });
      return { acquired: true, release: () => releaseIfMine(file, mine) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(file);
    if (owner && isLive(owner)) return { acquired: false, ownerPid: owner.pid };
    await rm(file, { force: true });
  }
  throw new EmbeddedPostgresError(`Could not take ${file}: another Herald keeps starting on this data directory.`);
}

function releaseIfMine(file: string, mine: Owner): void {
  try {
    const current = ZOwner.parse(JSON.parse(readFileSync(file, 'utf8')));
    if (current.pid === mine.pid && current.started === mine.started) unlinkSync(file);
  } catch {
    // Already gone, or taken over by a later Herald: not ours to remove.
  }
}

async function readOwner(file: string): Promise<Owner | null> {
  try {
    return ZOwner.parse(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return null;
  }
}

function isLive(owner: Owner): boolean {
  return isAlive(owner.pid) && startMark(owner.pid) === owner.started;
}

/** When the process started, in clock ticks since boot (Linux); '' where /proc does not exist. */
function startMark(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie answers kill(0) until its parent reaps it; in a container nobody may.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

export interface RunningServer {
  pid: number;
  port: number;
}

/** The postmaster serving `clusterDir`, if one runs: its pid file names it, our password proves it. */
export async function runningServer(clusterDir: string, password: string): Promise<RunningServer | null> {
  let lines: string[];
  try {
    lines = (await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || !isAlive(pid)) return null;
  const client = new pg.Client({
    connectionString: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    connectionTimeoutMillis: 5000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
    return rows[0]?.data_directory === clusterDir ? { pid, port } : null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Fast shutdown of a postmaster this process did not start (so cannot wait for as a child). */
export async function stopForeignServer(pid: number): Promise<void> {
  process.kill(pid, 'SIGINT');
  while (isAlive(pid)) await delay(100);
}
