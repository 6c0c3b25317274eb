import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createApiClient, listApiClients, revokeApiClient } from '../lib/auth/api-clients';
import { SCOPES } from '../lib/auth/scopes';
import { env, resetEnvCache } from '../lib/config/env';
import { closeDatabase } from '../lib/db/client';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../lib/db/embedded';
import { migrate } from '../lib/db/migrate';
import { DomainError } from '../lib/errors';
import { createHub, listHubs } from '../lib/hubs/hubs';
import { findDeliveryWebhook } from '../lib/listen/delivery-webhook';
import { startListener } from '../lib/listen/listener';

const USAGE = `Usage: npm run herald -- <command>

  client create --name NAME [--scope S,…] [--hub HUB_ID,…] [--json]
                              create an API client; prints its id and secret (shown once);
                              --json prints {"client_id", "client_secret", "scope", "hubs"} only.
                              Scopes: ${SCOPES.join(', ')} (default: all of them).
                              --hub limits it to those hubs (default: every hub)
  client list                 list API clients
  client revoke --id ID       revoke an API client
  hub create --name NAME [--label LABEL]
                              create a hub; prints its id
  hub list                    list hubs
  listen [--port 4000] [--host 127.0.0.1]
                              a receiver for trying webhooks: prints each delivery (event, webhook,
                              the status it answered), verifies both signatures with the webhook's
                              secret (found by the delivery id in webhook-id) and answers 204, or
                              401 when they do not verify. Any path: http://127.0.0.1:4000/anything

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
    options: {
      name: { type: 'string' },
      id: { type: 'string' },
      label: { type: 'string' },
      // Repeatable, and each may hold a comma-separated list.
      scope: { type: 'string', multiple: true },
      hub: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, command] = positionals;
  if (values.help || (group !== 'client' && group !== 'hub' && group !== 'listen')) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (group === 'hub') return hubCommand(command, values);
  if (group === 'listen') return listenCommand(values);
  if (command === 'create') {
    if (!values.name) {
      console.error('client create needs --name');
      return 2;
    }
    const name = values.name;
    const scopes = values.scope ? listOf(values.scope) : undefined;
    const hubIds = values.hub ? listOf(values.hub) : undefined;
    const client = await withDatabase(() => createApiClient(name, { scopes, hubIds }));
    if (values.json) {
      // For scripts: ID=$(… | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).client_id')
      console.log(
        JSON.stringify({
          client_id: client.id,
          client_secret: client.secret,
          scope: client.scopes.join(' '),
          hubs: client.hubIds,
        }),
      );
      return 0;
    }
    console.log(
      `client_id:     ${client.id}\nclient_secret: ${client.secret}\nscope:         ${client.scopes.join(' ')}\n` +
        `hubs:          ${client.hubIds ? client.hubIds.join(', ') : 'every hub'}\n\n` +
        'The secret is shown only now; store it safely.',
    );
    return 0;
  }
  if (command === 'list') {
    const clients = await withDatabase(() => listApiClients());
    for (const client of clients) {
      const state = client.revokedAt ? `revoked ${client.revokedAt.toISOString()}` : 'active';
      const used = client.lastUsedAt ? `last used ${client.lastUsedAt.toISOString()}` : 'never used';
      const hubs = client.hubIds ? `hubs ${client.hubIds.join(',')}` : 'every hub';
      console.log(`${client.id}\t${client.name}\t${state}\t${used}\t${client.scopes.join(' ')}\t${hubs}`);
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

/** `--scope a,b --scope c` → [a, b, c]. */
function listOf(values: string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

async function hubCommand(command: string | undefined, values: { name?: string; label?: string }): Promise<number> {
  if (command === 'create') {
    if (!values.name) {
      console.error('hub create needs --name');
      return 2;
    }
    const name = values.name;
    const hub = await withDatabase(() => createHub(name, values.label ?? name));
    // The id alone on stdout, so scripts can take it: HUB=$(npm run -s herald -- hub create --name x)
    console.log(hub.id);
    console.error(`created hub "${hub.label}" (name ${hub.name})`);
    return 0;
  }
  if (command === 'list') {
    const hubs = await withDatabase(() => listHubs());
    for (const hub of hubs) console.log(`${hub.id}\t${hub.name}\t${hub.label}`);
    return 0;
  }
  console.log(USAGE);
  return 2;
}

const ZListenArgs = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(4000),
  host: z
    .string()
    .refine((value) => isIP(value) !== 0 || value === 'localhost', 'must be an IP address or localhost')
    .default('127.0.0.1'),
});

async function listenCommand(values: { port?: string; host?: string }): Promise<number> {
  const parsed = ZListenArgs.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    console.error(`listen: --${String(issue?.path[0] ?? 'port')} ${issue?.message ?? 'is not valid'}`);
    return 2;
  }
  const { port, host } = parsed.data;
  await withDatabase(async () => {
    const listener = await startListener({
      port,
      host,
      findWebhook: (deliveryId) => findDeliveryWebhook(deliveryId),
      print: (line) => console.log(line),
    });
    console.log(`listening on ${listener.url}: point a webhook's URL at it (any path); Ctrl-C stops`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await listener.close();
  });
  return 0;
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: Error) => {
    const expected = error instanceof DomainError || error instanceof EmbeddedPostgresError;
    console.error(expected ? error.message : `failed: ${error.message}`);
    process.exit(1);
  });
