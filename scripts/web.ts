import { spawn } from 'node:child_process';
import path from 'node:path';
import { env } from '../lib/config/env';
import { prepareWeb, WEB_SERVER_ARGS } from './prepare-web';

/** `npm run web`: the web app and API alone, against DATABASE_URL. */
const ROOT = path.resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  const config = env();
  if (!config.DATABASE_URL) {
    console.error('[web] DATABASE_URL is not set. `npm start` runs Herald with an embedded database.');
    process.exit(1);
  }
  const say = (message: string) => console.log(`[web] ${message}`);
  const { setupCode } = await prepareWeb(config.DATABASE_URL, say);
  // Only while no admin exists; this start's code, single-use.
  if (setupCode) say(`Setup code: ${setupCode}  (the first-run form asks for it)`);
  const child = spawn(process.execPath, WEB_SERVER_ARGS, { cwd: ROOT, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error: Error) => {
  console.error(`[web] could not start: ${error.message}`);
  process.exit(1);
});
