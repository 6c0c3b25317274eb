import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { encryptionKey } from './encryption-key';

/**
 * AES-256-GCM for values Herald must read back (webhook secrets, secret header values).
 * Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url, so a dump shows no plaintext.
 */
const VERSION = 'v1';

export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

export function encrypt(plaintext: string, key: Buffer = encryptionKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), tag.toString('base64url'), body.toString('base64url')].join('.');
}

export function decrypt(sealed: string, key: Buffer = encryptionKey()): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) {
    throw new DecryptionError('not a Herald ciphertext');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError('cannot decrypt: was HERALD_ENCRYPTION_KEY changed?');
  }
}

/** For reads that must not fail on one unreadable value (a row restored from another install). */
export function decryptOrNull(sealed: string, key: Buffer = encryptionKey()): string | null {
  try {
    return decrypt(sealed, key);
  } catch (error) {
    if (error instanceof DecryptionError) return null;
    throw error;
  }
}

/** A key for a purpose other than encryption (API tokens, sessions), derived so one secret suffices. */
export function derivedKey(purpose: string): Buffer {
  return createHmac('sha256', encryptionKey()).update(`herald:${purpose}`).digest();
}
