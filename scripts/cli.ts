import { parseArgs } from 'node:util';
import { createApiClient, listApiClients, revokeApiClient } from '../lib/auth/api-clients';
import { env, resetEnvCache } from '../lib/config/env';
import { closeDatabase } from '../lib/db/client';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../lib/db/embedded';
import { migrate } from '../lib/db/migrate';
import { DomainError } from '../lib/errors';

const USAGE = `Usage: npm run herald -- <command>

  client create --name NAME   create an API client; prints its id and secret (shown once)
  client list                 list API clients
  client revoke --id ID       revoke an API client

Uses DATABASE_URL, or the embedded database in HERALD_DATA_DIR: the one a running \`npm start\`
serves (left running), or started just for this command.`;

async function withDatabase<T>(work: () => Promise<T>): Promise<T> {
  const config = env();
  // Beside a running `npm start`, its server is used as it is and left running.
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir: config.HERALD_DATA_DIR, shareRunning: true });
  if (embedded) {
    process.env.DATABASE_URL = embedded.url;
    resetEnvCache();
  }
  try {
    await migrate(process.env.DATABASE_URL as string);
    return await work();
  } finally {
    await closeDatabase();
    await embedded?.stop();
  }
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, id: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [group, command] = positionals;
  if (values.help || group !== 'client') {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (command === 'create') {
    if (!values.name) {
      console.error('client create needs --name');
      return 2;
    }
    const name = values.name;
    const client = await withDatabase(() => createApiClient(name));
    console.log(
      `client_id:     ${client.id}\nclient_secret: ${client.secret}\n\nThe secret is shown only now; store it safely.`,
    );
    return 0;
  }
  if (command === 'list') {
    const clients = await withDatabase(() => listApiClients());
    for (const client of clients) {
      const state = client.revokedAt ? `revoked ${client.revokedAt.toISOString()}` : 'active';
      const used = client.lastUsedAt ? `last used ${client.lastUsedAt.toISOString()}` : 'never used';
      console.log(`${client.id}\t${client.name}\t${state}\t${used}`);
    }
    return 0;
  }
  if (command === 'revoke') {
    if (!values.id) {
      console.error('client revoke needs --id');
      return 2;
    }
    const id = values.id;
    await withDatabase(() => revokeApiClient(id));
    console.log(`revoked ${id}`);
    return 0;
  }
  console.log(USAGE);
  return 2;
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: Error) => {
    const expected = error instanceof DomainError || error instanceof EmbeddedPostgresError;
    console.error(expected ? error.message : `failed: ${error.message}`);
    process.exit(1);
  });
