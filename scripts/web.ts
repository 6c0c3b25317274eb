import { spawn } from 'node:child_process';
import path from 'node:path';
import { env } from '../lib/config/env';
import { NEXT_BIN } from './next-build';
import { prepareWeb } from './prepare-web';

/** `npm run web`: the web app and API alone, against DATABASE_URL. */
const ROOT = path.resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  const config = env();
  if (!config.DATABASE_URL) {
    console.error('[web] DATABASE_URL is not set. `npm start` runs Herald with an embedded database.');
    process.exit(1);
  }
  await prepareWeb(config.DATABASE_URL, (message) => console.log(`[web] ${message}`));
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-p', String(config.PORT)], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

main().catch((error: Error) => {
  console.error(`[web] could not start: ${error.message}`);
  process.exit(1);
});
