import { prisma } from '../db/client';
import { EncryptionKeyError } from './encryption-key';
import { DecryptionError, decrypt } from './secret-box';

export interface KeyCheck {
  /** Encrypted values tried. */
  checked: number;
  /** Webhooks with at least one value the key does not open. */
  unreadableWebhooks: string[];
}

/**
 * Tries the encryption key on every encrypted value (AES-GCM opens thousands a millisecond).
 * None opening means the wrong key (a lost key file, a mistyped HERALD_ENCRYPTION_KEY): refused
 * at start, better than every delivery failing. Some not opening (a row restored from another
 * install) is reported: those webhooks' deliveries fail alone, with the reason shown.
 */
export async function verifyEncryptionKey(): Promise<KeyCheck> {
  const webhooks = await prisma().webhook.findMany({
    select: {
      id: true,
      secretCiphertext: true,
      previousSecretCiphertext: true,
      headers: { where: { secret: true }, select: { valueCiphertext: true } },
    },
  });
  let checked = 0;
  let opened = 0;
  const unreadable = new Set<string>();
  for (const webhook of webhooks) {
    const sealed = [
      webhook.secretCiphertext,
      webhook.previousSecretCiphertext,
      ...webhook.headers.map((header) => header.valueCiphertext),
    ].filter((value): value is string => value !== null);
    for (const value of sealed) {
      checked++;
      if (opens(value)) opened++;
      else unreadable.add(webhook.id);
    }
  }
  if (checked > 0 && opened === 0) {
    throw new EncryptionKeyError(
      'The encryption key does not open the secrets stored in this database. Set HERALD_ENCRYPTION_KEY ' +
        '(or restore the key file in HERALD_DATA_DIR) to the key they were encrypted with.',
    );
  }
  return { checked, unreadableWebhooks: [...unreadable] };
}

function opens(sealed: string): boolean {
  try {
    decrypt(sealed);
    return true;
  } catch (error) {
    if (error instanceof DecryptionError) return false;
    throw error;
  }
}

/** One line for the start-up log, or null when every value opened. */
export function describeKeyCheck(check: KeyCheck): string | null {
  const count = check.unreadableWebhooks.length;
  if (count === 0) return null;
  const shown = check.unreadableWebhooks.slice(0, 5).join(', ');
  return (
    `${count} webhook${count === 1 ? ' has' : 's have'} secrets this encryption key cannot open (${shown}` +
    `${count > 5 ? ', …' : ''}); their deliveries fail until the right key is restored or a new secret is set`
  );
}
