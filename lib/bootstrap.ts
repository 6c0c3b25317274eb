import { ensureBootstrapClient } from './auth/api-clients';
import { env } from './config/env';
import { encryptionKey } from './crypto/encryption-key';
import { describeKeyCheck, verifyEncryptionKey } from './crypto/verify-key';
import { ensureDefaultHub, type Hub } from './hubs/hubs';
import { logger } from './logger';

/** What must exist before Herald serves: the encryption key, the default hub, the bootstrap API client. */
export async function bootstrap(): Promise<{ hub: Hub }> {
  encryptionKey();
  const unreadable = describeKeyCheck(await verifyEncryptionKey());
  if (unreadable) logger('herald').warn(unreadable);
  const hub = await ensureDefaultHub();
  const config = env();
  if (config.HERALD_BOOTSTRAP_CLIENT_ID && config.HERALD_BOOTSTRAP_CLIENT_SECRET) {
    await ensureBootstrapClient(config.HERALD_BOOTSTRAP_CLIENT_ID, config.HERALD_BOOTSTRAP_CLIENT_SECRET);
  }
  return { hub };
}
