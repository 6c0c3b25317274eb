import { decryptOrNull, encrypt } from '../crypto/secret-box';
import { JSON_NULL, type Prisma } from '../db/client';
import { filterExpected, type TFilter } from '../filters/types';
import { addressKey } from '../notifications/addresses';
import { deliveryFromRow } from './delivery-settings';
import type { THeaderInput } from './headers';
import { CUSTOM_PAYLOAD_TYPE, type Webhook, type WebhookMethod } from './types';

/** What every webhook read loads: its headers and filters in order, and the sealed secret. */
export const WEBHOOK_INCLUDE = {
  headers: { orderBy: { position: 'asc' }, select: { key: true, value: true, secret: true } },
  filters: { orderBy: { position: 'asc' }, select: { type: true, jsonPath: true, value: true } },
} as const satisfies Prisma.WebhookInclude;

export const WEBHOOK_OMIT = { secretCiphertext: false } as const satisfies Prisma.WebhookOmit;

type WebhookRow = Omit<Prisma.WebhookGetPayload<{ include: typeof WEBHOOK_INCLUDE }>, 'previousSecretCiphertext'>;

/** The addresses a webhook row names, as typed. */
export function namedAddresses(row: Pick<WebhookRow, 'notifications'>): string[] {
  return (row.notifications as { email: string }[]).map((notification) => notification.email);
}

/**
 * A webhook from its row. `confirmed` holds the lower-cased addresses Herald may mail (see
 * lib/notifications/addresses.ts): each notification says whether its address is one of them.
 */
export function toWebhook(row: WebhookRow, confirmed: ReadonlySet<string>): Webhook {
  return {
    id: row.id,
    hubId: row.hubId,
    label: row.label,
    events: row.events,
    handlers: row.handlers,
    active: row.active,
    notifications: namedAddresses(row).map((email) => ({ email, confirmed: confirmed.has(addressKey(email)) })),
    method: row.method as WebhookMethod,
    secret: decryptOrNull(row.secretCiphertext),
    headers: row.headers.map((header) => ({
      key: header.key,
      value: header.secret ? null : header.value,
      secret: header.secret,
    })),
    filters: row.filters.map(
      (filter) =>
        (filter.type === 'changed'
          ? { type: filter.type, arguments: [{ jsonPath: filter.jsonPath }] }
          : { type: filter.type, arguments: [{ jsonPath: filter.jsonPath }, { value: filter.value }] }) as TFilter,
    ),
    customPayload:
      row.customPayloadValue !== null ? { type: CUSTOM_PAYLOAD_TYPE, value: row.customPayloadValue } : null,
    rateLimit: row.rateLimit,
    delivery: deliveryFromRow(row),
    disabledReason: row.disabledReason,
    disabledAt: row.disabledAt,
    createdDate: row.createdDate,
    lastModifiedDate: row.lastModifiedDate,
  };
}

export function filterRows(filters: readonly TFilter[]) {
  return filters.map((filter, position) => ({
    position,
    type: filter.type,
    jsonPath: filter.arguments[0].jsonPath,
    // `changed` has no value: JSON null.
    value: filterExpected(filter) ?? JSON_NULL,
  }));
}

/**
 * Rows for a new header list. A secret header sent with `value: null` keeps the value stored
 * under the same key, so a client that reads, edits and writes back a webhook keeps its secrets.
 */
export function headerRows(
  headers: readonly THeaderInput[],
  existingSecrets: ReadonlyMap<string, string> = new Map(),
): { position: number; key: string; value: string | null; valueCiphertext: string | null; secret: boolean }[] {
  return headers.map((header, position) => {
    if (!header.secret) {
      return { position, key: header.key, value: header.value ?? '', valueCiphertext: null, secret: false };
    }
    const kept = existingSecrets.get(header.key.toLowerCase());
    if (header.value === null || header.value === undefined) {
      if (kept === undefined) throw new MissingSecretValueError(position, header.key);
      return { position, key: header.key, value: null, valueCiphertext: kept, secret: true };
    }
    return { position, key: header.key, value: null, valueCiphertext: encrypt(header.value), secret: true };
  });
}

export class MissingSecretValueError extends Error {
  constructor(
    readonly position: number,
    readonly key: string,
  ) {
    super(`secret header ${key} needs a value`);
  }
}
