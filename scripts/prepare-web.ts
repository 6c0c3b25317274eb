import path from 'node:path';
import { migrate } from '../lib/db/migrate';
import type { Hub } from '../lib/hubs/hubs';
import { ensureNextBuild } from './next-build';

/**
 * What must be true before `next start` (for `npm start` and `npm run web` alike): the database
 * migrated and bootstrapped, and a build of the current sources.
 */
export async function prepareWeb(
  databaseUrl: string,
  log: (message: string) => void,
): Promise<{ hub: Hub; setupCode: string | null }> {
  const applied = await migrate(databaseUrl);
  if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
  // Imported late: the caller may have only just set DATABASE_URL (the embedded database).
  const { bootstrap } = await import('../lib/bootstrap');
  const { closeDatabase } = await import('../lib/db/client');
  const { issueSetupCode } = await import('../lib/auth/setup-code');
  const { hub } = await bootstrap();
  // While no admin exists: a new one-time code for this start, for the caller to print.
  const setupCode = await issueSetupCode();
  await closeDatabase();
  ensureNextBuild(log);
  return { hub, setupCode };
}

/** Node arguments that run Herald's web server (scripts/web-server.ts) in place of `next start`. */
export const WEB_SERVER_ARGS = ['--import', 'tsx', path.join(import.meta.dirname, 'web-server.ts')];
