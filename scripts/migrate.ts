import { env } from '../lib/config/env';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../lib/db/embedded';
import { migrate } from '../lib/db/migrate';

/** `npm run db:migrate`: DATABASE_URL, or the embedded database (a running `npm start`'s, left running). */
const config = env();
try {
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.HERALD_DATA_DIR, shareRunning: true });
  try {
    const applied = await migrate(embedded?.url ?? (config.DATABASE_URL as string));
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await embedded?.stop();
  }
} catch (error) {
  console.error(error instanceof EmbeddedPostgresError ? error.message : `failed: ${(error as Error).message}`);
  process.exit(1);
}
