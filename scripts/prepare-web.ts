import { migrate } from '../lib/db/migrate';
import type { Hub } from '../lib/hubs/hubs';
import { ensureNextBuild } from './next-build';

/**
 * What must be true before `next start` (for `npm start` and `npm run web` alike): the database
 * migrated and bootstrapped, and a build of the current sources.
 */
export async function prepareWeb(databaseUrl: string, log: (message: string) => void): Promise<{ hub: Hub }> {
  const applied = await migrate(databaseUrl);
  if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
  // Imported late: the caller may have only just set DATABASE_URL (the embedded database).
  const { bootstrap } = await import('../lib/bootstrap');
  const { closeDatabase } = await import('../lib/db/client');
  const { hub } = await bootstrap();
  await closeDatabase();
  ensureNextBuild(log);
  return { hub };
}
