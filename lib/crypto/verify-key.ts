import { prisma } from '../db/client';
import { EncryptionKeyError } from './encryption-key';
import { DecryptionError, decrypt } from './secret-box';

/**
 * Fails fast when the encryption key is not the one the database's secrets were sealed with
 * (a lost key file, a mistyped HERALD_ENCRYPTION_KEY): better a clear refusal at start than
 * every delivery failing to sign.
 */
export async function verifyEncryptionKey(): Promise<void> {
  const sample = await prisma().webhook.findFirst({ select: { secretCiphertext: true } });
  if (!sample) return;
  try {
    decrypt(sample.secretCiphertext);
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
    throw new EncryptionKeyError(
      'The encryption key does not open the secrets stored in this database. Set HERALD_ENCRYPTION_KEY ' +
        '(or restore the key file in HERALD_DATA_DIR) to the key they were encrypted with.',
    );
  }
}
