import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { closeDatabase } from '../../lib/db/client';
import { ensureDatabase } from '../../lib/db/embedded';
import { migrate } from '../../lib/db/migrate';
import { dropDatabase } from './databases';

/** Each integration test file runs against a database of its own, migrated from scratch. */
const adminUrl = inject('adminDatabaseUrl');
const name = `herald_t_${randomBytes(5).toString('hex')}`;
const url = new URL(adminUrl);
url.pathname = `/${name}`;

await ensureDatabase(adminUrl, name);
await migrate(url.toString());

process.env.DATABASE_URL = url.toString();
process.env.HERALD_ENCRYPTION_KEY ??= randomBytes(32).toString('base64');
process.env.HERALD_ALLOW_PRIVATE_DESTINATIONS ??= 'loopback';
process.env.HERALD_LOG_LEVEL ??= 'warn';

afterAll(async () => {
  await closeDatabase();
  await dropDatabase(adminUrl, name);
});
