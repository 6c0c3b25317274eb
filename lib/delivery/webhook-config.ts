import { DecryptionError, decrypt, decryptOrNull } from '../crypto/secret-box';
import type { HeraldPrisma } from '../db/client';
import type { HeaderSpec, SigningSecrets } from './request-headers';

/** A webhook's secret and secret headers, decrypted; or why they could not be. */
export type SealedValues =
  | { ok: true; headers: HeaderSpec[]; secrets: SigningSecrets; previousSecretExpiresAt: number | null }
  | { ok: false; error: string };

/** What the worker needs to send for a webhook, decrypted once per webhook version. */
export interface DeliveryConfig {
  id: string;
  version: number;
  method: string;
  urlTemplate: string;
  payloadTemplate: string | null;
  sealed: SealedValues;
}

export const UNREADABLE_SECRET =
  "the webhook's secret cannot be decrypted with this server's encryption key (HERALD_ENCRYPTION_KEY or the key file); " +
  'restore the key it was saved with, or set a new secret on the webhook';

export class DeliveryConfigCache {
  private readonly configs = new Map<string, DeliveryConfig>();

  constructor(private readonly prisma: HeraldPrisma) {}

  /** Configs for these webhooks at (at least) these versions, loading the stale ones in one query. */
  async get(wanted: ReadonlyMap<string, number>): Promise<Map<string, DeliveryConfig>> {
    const stale = [...wanted]
      .filter(([id, version]) => (this.configs.get(id)?.version ?? -1) < version)
      .map(([id]) => id);
    if (stale.length > 0) {
      const rows = await this.prisma.webhook.findMany({
        where: { id: { in: stale } },
        include: {
          headers: {
            orderBy: { position: 'asc' },
            select: { key: true, value: true, valueCiphertext: true, secret: true },
          },
        },
        omit: { secretCiphertext: false, previousSecretCiphertext: false },
      });
      for (const row of rows) {
        this.configs.set(row.id, {
          id: row.id,
          version: row.lastModifiedDate.getTime(),
          method: row.method,
          urlTemplate: row.handlers[0] ?? '',
          payloadTemplate: row.customPayloadValue,
          // One webhook's unreadable secret fails that webhook's deliveries, not the batch.
          sealed: unseal(() => ({
            ok: true,
            headers: row.headers.map((header) => ({
              key: header.key,
              value: header.secret ? decrypt(header.valueCiphertext ?? '') : (header.value ?? ''),
              secret: header.secret,
            })),
            secrets: {
              current: decrypt(row.secretCiphertext),
              // A previous secret that cannot be opened just stops signing; the current one still does.
              previous: row.previousSecretCiphertext ? decryptOrNull(row.previousSecretCiphertext) : null,
            },
            previousSecretExpiresAt: row.previousSecretExpiresAt?.getTime() ?? null,
          })),
        });
      }
    }
    const result = new Map<string, DeliveryConfig>();
    for (const id of wanted.keys()) {
      const config = this.configs.get(id);
      if (config) result.set(id, config);
    }
    return result;
  }
}

function unseal(open: () => SealedValues): SealedValues {
  try {
    return open();
  } catch (error) {
    if (error instanceof DecryptionError) return { ok: false, error: UNREADABLE_SECRET };
    throw error;
  }
}

/** The previous secret signs only until its grace period ends. */
export function activeSecrets(sealed: Extract<SealedValues, { ok: true }>, now: number = Date.now()): SigningSecrets {
  const previousValid =
    sealed.secrets.previous && sealed.previousSecretExpiresAt && sealed.previousSecretExpiresAt > now;
  return { current: sealed.secrets.current, previous: previousValid ? sealed.secrets.previous : null };
}
