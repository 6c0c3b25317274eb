import { spawn } from 'node:child_process';
import { chmod, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type EmbeddedPostgresError, startEmbeddedPostgres } from '../../lib/db/embedded';
import { migrate } from '../../lib/db/migrate';

const root = path.join(os.tmpdir(), `herald-embedded-test-${process.pid}`);
const ROOT = path.resolve(import.meta.dirname, '../..');
let dirs = 0;
const freshDataDir = () => path.join(root, `data-${++dirs}`);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

async function postmasterPid(clusterDir: string): Promise<number> {
  return Number((await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

/** Runs a Herald script the way npm runs it, with the embedded database (no DATABASE_URL). */
function runScript(args: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...env, HERALD_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the embedded PostgreSQL', () => {
  it('keeps data across restarts and takes over a server a killed Herald left running', async () => {
    const dataDir = freshDataDir();
    const first = await startEmbeddedPostgres({ dataDir, durable: false });
    await query(first.url, 'CREATE TABLE kept (value text); INSERT INTO kept VALUES ($$still here$$)');
    await first.stop();

    // A process that starts the server and is then killed without stopping it.
    const script = `import { startEmbeddedPostgres } from ${JSON.stringify(path.join(ROOT, 'lib/db/embedded.ts'))};
      await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, durable: false });
      process.stdout.write('up'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise((resolve) => child.stdout.once('data', resolve));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const second = await startEmbeddedPostgres({ dataDir, durable: false });
    expect(await query(second.url, 'SELECT value FROM kept')).toEqual([{ value: 'still here' }]);
    await second.stop();
  });

  it('lets the CLI work beside a running server, which it leaves running', async () => {
    const dataDir = freshDataDir();
    // What `npm start` does: its own server, migrated, serving its pool.
    const server = await startEmbeddedPostgres({ dataDir, durable: false, detached: true });
    await migrate(server.url);
    const pool = new pg.Pool({ connectionString: server.url, max: 2 });
    pool.on('error', () => {});
    const pidBefore = await postmasterPid(server.clusterDir);

    const created = await runScript(['scripts/cli.ts', 'client', 'create', '--name', 'Beside npm start'], dataDir);
    expect(created.code, created.stderr).toBe(0);
    const clientId = /client_id:\s+(\S+)/.exec(created.stdout)?.[1];
    expect(clientId).toBeTruthy();

    // Still the same server, still serving, and it holds what the CLI wrote.
    expect(await postmasterPid(server.clusterDir)).toBe(pidBefore);
    const { rows } = await pool.query('SELECT name FROM api_clients WHERE id = $1', [clientId]);
    expect(rows).toEqual([{ name: 'Beside npm start' }]);

    const listed = await runScript(['scripts/cli.ts', 'client', 'list'], dataDir);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain('Beside npm start');
    expect((await pool.query('SELECT 1 AS up')).rows).toEqual([{ up: 1 }]);

    // A second `npm start` on the same data directory refuses instead of taking the server away.
    await expect(startEmbeddedPostgres({ dataDir, durable: false })).rejects.toThrow(
      /Another Herald \(pid \d+\) is already running the embedded PostgreSQL/,
    );
    expect((await pool.query('SELECT 1 AS up')).rows).toEqual([{ up: 1 }]);

    await pool.end();
    await server.stop();
  });

  it('restarts a server that was killed, on the same URL, and pools reconnect', async () => {
    const notes: string[] = [];
    const fatal = vi.fn();
    // Durable, as `npm start` runs it: what was committed before the kill is there after it.
    const server = await startEmbeddedPostgres({
      dataDir: freshDataDir(),
      notify: (message) => notes.push(message),
      onFatal: fatal,
    });
    const pool = new pg.Pool({ connectionString: server.url, max: 2 });
    pool.on('error', () => {});
    await pool.query('CREATE TABLE survived (value text); INSERT INTO survived VALUES ($$yes$$)');
    const killed = await postmasterPid(server.clusterDir);

    process.kill(killed, 'SIGKILL');

    await vi.waitFor(
      () => expect(notes).toContainEqual(expect.stringMatching(/exited \(signal SIGKILL\); it was restarted/)),
      { timeout: 60_000, interval: 200 },
    );
    const restarted = await postmasterPid(server.clusterDir);
    expect(restarted).not.toBe(killed);
    // The pool's connections to the killed server fail once each, then it connects anew.
    await vi.waitFor(
      async () => {
        const { rows } = await pool.query('SELECT value, pg_postmaster_start_time() AS since FROM survived');
        expect(rows).toEqual([{ value: 'yes', since: expect.any(Date) }]);
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(await query(server.url, 'SELECT 1 AS up')).toEqual([{ up: 1 }]);
    expect(fatal).not.toHaveBeenCalled();
    await pool.end();
    await server.stop();
  });

  it('says loudly when a killed server cannot be brought back', async () => {
    const fatal = vi.fn<(error: EmbeddedPostgresError) => void>();
    const server = await startEmbeddedPostgres({ dataDir: freshDataDir(), durable: false, onFatal: fatal });
    const pid = await postmasterPid(server.clusterDir);
    // A cluster directory PostgreSQL may no longer open: every restart fails.
    await chmod(server.clusterDir, 0o000);
    process.kill(pid, 'SIGKILL');

    await vi.waitFor(() => expect(fatal).toHaveBeenCalledTimes(1), { timeout: 60_000, interval: 200 });
    expect(fatal.mock.calls[0]?.[0].message).toMatch(
      /^The embedded PostgreSQL in .+ is down: it exited with signal SIGKILL and could not be restarted: /,
    );
    await chmod(server.clusterDir, 0o700);
    await server.stop();
  });
});
