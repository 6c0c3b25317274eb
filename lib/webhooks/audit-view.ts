import { decryptOrNull } from '../crypto/secret-box';
import { filterExpected } from '../filters/types';
import type { DeliverySettings } from './delivery-settings';
import type { Webhook } from './types';

/** Shown in place of a secret header's value in the audit log's diffs. */
export const MASK = '********';

/**
 * The fields of a webhook the audit log compares, with secret header values masked. The secret
 * itself is not here: it is compared on its own and only ever logged as 'changed'.
 */
export function webhookAuditView(webhook: Webhook): Record<string, unknown> {
  return {
    label: webhook.label,
    events: webhook.events,
    url: webhook.handlers,
    active: webhook.active,
    method: webhook.method,
    notifications: webhook.notifications.map((notification) => notification.email),
    customPayload: webhook.customPayload?.value ?? null,
    rateLimit: webhook.rateLimit,
    delivery: deliverySummary(webhook.delivery),
    filters: webhook.filters.map((filter) => ({
      type: filter.type,
      jsonPath: filter.arguments[0].jsonPath,
      value: filterExpected(filter) ?? null,
    })),
    headers: webhook.headers.map((header) => `${header.key}: ${header.secret ? MASK : header.value}`),
  };
}

interface SealedHeader {
  key: string;
  secret: boolean;
  valueCiphertext: string | null;
}

/**
 * Secret headers whose value changed (or that are new), as `header <Key>`: compared after
 * decryption, because re-sending the same value seals it anew. Their values never leave here.
 */
export function changedSecretHeaders(before: readonly SealedHeader[], after: readonly SealedHeader[]): string[] {
  const old = new Map(
    before.filter((header) => header.secret).map((header) => [header.key.toLowerCase(), header.valueCiphertext]),
  );
  return after
    .filter((header) => header.secret)
    .filter((header) => {
      const previous = old.get(header.key.toLowerCase());
      if (previous === undefined) return false; // a new header shows in the header list itself
      if (previous === header.valueCiphertext) return false;
      return decryptOrNull(previous ?? '') !== decryptOrNull(header.valueCiphertext ?? '');
    })
    .map((header) => `header ${header.key}`);
}

/** A webhook's delivery settings in one line, as the audit log compares and shows them. */
export function deliverySummary(delivery: DeliverySettings): string {
  if (delivery.mode === 'every') return 'every event';
  const parts = ['latest version per key', `key ${delivery.key ?? 'default'}`];
  if (delivery.debounceSeconds > 0) parts.push(`debounce ${delivery.debounceSeconds} s`);
  return parts.join(', ');
}
