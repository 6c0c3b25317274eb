import { env } from '../lib/config/env';
import { migrate } from '../lib/db/migrate';

const url = env().DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set');
  process.exit(1);
}
const applied = await migrate(url);
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
