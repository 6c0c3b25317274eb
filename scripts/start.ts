import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { displayHost } from '../lib/config/display-host';
import { ConfigError, env, resetEnvCache } from '../lib/config/env';
import { EncryptionKeyError } from '../lib/crypto/encryption-key';
import { EmbeddedPostgresError, type EmbeddedPostgresHandle, startEmbeddedPostgres } from '../lib/db/embedded';
import { parseTracingConfig } from '../lib/tracing/config';
import { prepareWeb, WEB_SERVER_ARGS } from './prepare-web';

/**
 * `npm start`: everything in one command. Without DATABASE_URL it runs an embedded PostgreSQL in
 * HERALD_DATA_DIR; then it migrates, bootstraps, builds the web app if needed and runs the web
 * app and a delivery worker as child processes, restarting the worker if it dies.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const say = (message: string) => console.log(`[herald] ${message}`);

async function main(): Promise<void> {
  const config = env();
  // A bad OTEL_* variable stops start-up here, once, rather than each child at every restart.
  parseTracingConfig();
  let embedded: EmbeddedPostgresHandle | undefined;
  let databaseUrl = config.DATABASE_URL;
  // A database that died and could not be restarted ends Herald loudly, rather than serving errors.
  let databaseLost: (error: Error) => void = (error) => {
    console.error(`[herald] ${error.message}`);
    process.exit(1);
  };
  if (!databaseUrl) {
    say(`no DATABASE_URL: starting the embedded PostgreSQL in ${path.resolve(config.HERALD_DATA_DIR)}`);
    embedded = await startEmbeddedPostgres({
      dataDir: config.HERALD_DATA_DIR,
      detached: true,
      notify: say,
      onFatal: (error) => databaseLost(error),
    });
    databaseUrl = embedded.url;
    // As root from a folder postgres cannot enter, the cluster lives elsewhere: say where.
    say(`the embedded PostgreSQL keeps its data in ${embedded.clusterDir}`);
    // The embedded default is a local install: let it deliver to receivers on this machine.
    process.env.HERALD_ALLOW_PRIVATE_DESTINATIONS ??= 'loopback';
  }
  process.env.DATABASE_URL = databaseUrl;
  resetEnvCache();

  const { hub, setupCode } = await prepareWeb(databaseUrl, say);

  const children = new Set<ChildProcess>();
  let stopping = false;
  const run = (args: string[], onExit: (code: number | null) => void) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
    children.add(child);
    child.on('exit', (code) => {
      children.delete(child);
      if (!stopping) onExit(code);
    });
    return child;
  };

  let workerRestarts = 0;
  const startWorker = () =>
    // tsx as a loader rather than its CLI, so signals reach the worker itself.
    run(['--import', 'tsx', 'worker/main.ts'], (code) => {
      workerRestarts++;
      const delay = Math.min(30_000, 1000 * 2 ** Math.min(workerRestarts, 5));
      console.error(`[herald] the delivery worker exited (${code}); restarting in ${delay / 1000}s`);
      setTimeout(startWorker, delay);
    });
  startWorker();
  run(WEB_SERVER_ARGS, (code) => {
    console.error(`[herald] the web app exited (${code}); stopping`);
    void shutdown(1);
  });

  const url = `http://${displayHost(config.HOST)}:${config.PORT}`;
  say(`Herald is running at ${url}`);
  say(`  admin UI:  ${url}${setupCode ? '  (the first visit creates the admin account)' : ''}`);
  // Only while no admin exists; this start's code, single-use.
  if (setupCode) say(`  Setup code: ${setupCode}  (the first-run form asks for it)`);
  say(`  API:       ${url}/v2/content  (hub "${hub.name}" has id ${hub.id})`);
  say('  API client: npm run herald -- client create --name "My integration"');

  async function shutdown(exitCode: number) {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    await Promise.all(
      [...children].map(
        (child) =>
          new Promise<void>((resolve) => {
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
          }),
      ),
    );
    await embedded?.stop();
    process.exit(exitCode);
  }
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  databaseLost = (error) => {
    console.error(`[herald] ${error.message}. Stopping Herald.`);
    void shutdown(1);
  };
}

main().catch((error: Error) => {
  if (error instanceof ConfigError || error instanceof EmbeddedPostgresError || error instanceof EncryptionKeyError)
    console.error(`[herald] ${error.message}`);
  else console.error(`[herald] could not start: ${error.stack ?? error.message}`);
  process.exit(1);
});
