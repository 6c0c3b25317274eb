import { z } from 'zod';
import {
  DELIVERY_MODES,
  type DeliverySettings,
  EVERY_DELIVERY,
  MAX_DEBOUNCE_SECONDS,
} from '../event-keys/delivery-mode';
import { jsonPathError } from '../filters/json-path';

export type { DeliveryMode, DeliverySettings } from '../event-keys/delivery-mode';

/** The longest key path a webhook may name. */
export const MAX_KEY_PATH_LENGTH = 512;

/**
 * `delivery` on a webhook: `{ mode, debounceSeconds, key }`, each optional (mode `every`, no
 * debounce, each event's default key). Errors name the field (`delivery.debounceSeconds: …`).
 * A debounce keeps only a burst's last version, so it needs `latest` mode.
 */
export const ZDeliverySettings = z
  .object(
    {
      mode: z.enum(DELIVERY_MODES, { error: 'must be "every" or "latest"' }).default('every'),
      debounceSeconds: z
        .number({ error: `must be a number of seconds, 0–${MAX_DEBOUNCE_SECONDS}` })
        .int(`must be a whole number of seconds, 0–${MAX_DEBOUNCE_SECONDS}`)
        .min(0, `must be 0–${MAX_DEBOUNCE_SECONDS}`)
        .max(MAX_DEBOUNCE_SECONDS, `must be 0–${MAX_DEBOUNCE_SECONDS}`)
        .default(0),
      key: z
        .string({ error: 'must be a JSONPath such as "$.payload.id"' })
        .trim()
        .max(MAX_KEY_PATH_LENGTH, `may be at most ${MAX_KEY_PATH_LENGTH} characters`)
        .transform((key) => (key === '' ? null : key))
        .nullable()
        .default(null)
        .superRefine((key, ctx) => {
          const error = key === null ? null : jsonPathError(key);
          if (error) ctx.addIssue({ code: 'custom', message: error });
        }),
    },
    { error: 'delivery must be an object such as { "mode": "latest", "debounceSeconds": 0 }' },
  )
  .superRefine((delivery, ctx) => {
    if (delivery.mode === 'every' && delivery.debounceSeconds > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['debounceSeconds'],
        message: 'a debounce needs "mode": "latest" (it delivers only the last version of a burst)',
      });
    }
  });

export type TDeliverySettingsInput = z.input<typeof ZDeliverySettings>;

/** The columns of a webhook row that hold its delivery settings. */
export interface DeliveryColumns {
  deliveryMode: string;
  debounceSeconds: number;
  deliveryKeyPath: string | null;
}

export function deliveryColumns(settings: DeliverySettings): DeliveryColumns {
  return { deliveryMode: settings.mode, debounceSeconds: settings.debounceSeconds, deliveryKeyPath: settings.key };
}

export function deliveryFromRow(row: DeliveryColumns): DeliverySettings {
  return {
    mode: row.deliveryMode === 'latest' ? 'latest' : 'every',
    debounceSeconds: row.debounceSeconds,
    key: row.deliveryKeyPath,
  };
}

export { EVERY_DELIVERY };
