import { ensureBootstrapClient } from './auth/api-clients';
import { env } from './config/env';
import { encryptionKey } from './crypto/encryption-key';
import { describeKeyCheck, verifyEncryptionKey } from './crypto/verify-key';
import { ensureDefaultHub, type Hub } from './hubs/hubs';
import { type Logger, logger } from './logger';

/** Start-up's warning when HERALD_BOOTSTRAP_CLIENT_ID names a client an admin revoked. */
export function describeRevokedBootstrapClient(id: string, revokedAt: Date): string {
  return (
    `The bootstrap API client "${id}" (HERALD_BOOTSTRAP_CLIENT_ID) was revoked on ${revokedAt.toISOString()} ` +
    'and stays revoked: its credentials do not work. To bootstrap another client, set HERALD_BOOTSTRAP_CLIENT_ID ' +
    'to an id not used before (with a new HERALD_BOOTSTRAP_CLIENT_SECRET), or create one with ' +
    '`npm run herald -- client create --name NAME`; remove the variables to silence this warning.'
  );
}

/** What must exist before Herald serves: the encryption key, the default hub, the bootstrap API client. */
export async function bootstrap(log: Pick<Logger, 'warn'> = logger('herald')): Promise<{ hub: Hub }> {
  encryptionKey();
  const unreadable = describeKeyCheck(await verifyEncryptionKey());
  if (unreadable) log.warn(unreadable);
  const hub = await ensureDefaultHub();
  const config = env();
  if (config.HERALD_BOOTSTRAP_CLIENT_ID && config.HERALD_BOOTSTRAP_CLIENT_SECRET) {
    const id = config.HERALD_BOOTSTRAP_CLIENT_ID;
    const client = await ensureBootstrapClient(id, config.HERALD_BOOTSTRAP_CLIENT_SECRET);
    if (client.state === 'revoked') log.warn(describeRevokedBootstrapClient(id, client.revokedAt));
  }
  return { hub };
}
