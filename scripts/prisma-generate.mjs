// Runs `prisma generate` offline, and only when the generated client is missing or older than
// the schema. The Prisma CLI insists on a schema engine binary it would download; generate never
// executes it, so any executable satisfies the check.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const schema = 'prisma/schema.prisma';
const marker = 'lib/db/generated/client.ts';
const force = process.argv.includes('--force');
if (!force && existsSync(marker) && statSync(marker).mtimeMs >= statSync(schema).mtimeMs) process.exit(0);

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
env.CHECKPOINT_DISABLE = '1';
const result = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env,
});
if (result.status !== 0) {
  process.stdout.write(result.stdout);
  process.exit(result.status ?? 1);
}
