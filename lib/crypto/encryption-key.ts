import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { env } from '../config/env';

export class EncryptionKeyError extends Error {
  override name = 'EncryptionKeyError';
}

/** Accepts 32 bytes as base64 (44 chars) or hex (64 chars). */
export function parseEncryptionKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new EncryptionKeyError(
      `${source} must hold 32 random bytes as base64 or hex (e.g. \`openssl rand -base64 32\`); it holds ${key.length}`,
    );
  }
  return key;
}

let cachedKey: Buffer | undefined;

/**
 * HERALD_ENCRYPTION_KEY, or a key file created once in the data directory. Every process that
 * shares a database must share the key: with DATABASE_URL, set HERALD_ENCRYPTION_KEY explicitly.
 */
export function encryptionKey(): Buffer {
  if (cachedKey) return cachedKey;
  const config = env();
  if (config.HERALD_ENCRYPTION_KEY) {
    cachedKey = parseEncryptionKey(config.HERALD_ENCRYPTION_KEY, 'HERALD_ENCRYPTION_KEY');
    return cachedKey;
  }
  const file = path.resolve(config.HERALD_DATA_DIR, 'encryption.key');
  try {
    cachedKey = parseEncryptionKey(readFileSync(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(path.dirname(file), { recursive: true });
    const fresh = randomBytes(32);
    // `wx`: two processes starting at once must not each write a different key.
    try {
      writeFileSync(file, `${fresh.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      cachedKey = fresh;
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError;
      cachedKey = parseEncryptionKey(readFileSync(file, 'utf8'), file);
    }
  }
  return cachedKey;
}

export function resetEncryptionKeyCache(): void {
  cachedKey = undefined;
}
