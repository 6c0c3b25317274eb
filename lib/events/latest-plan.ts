import { debounceWindow } from '../event-keys/delivery-mode';
import { eventKey } from '../event-keys/event-key';
import type { RoutingWebhook } from './hub-webhooks';

/**
 * The latest-mode half of an emit's plan (README "Latest version only, and debounce"): which
 * deliveries carry a key, and which are superseded within the batch itself. The emit statement
 * then supersedes the waiting deliveries committed before (lib/outbox/enqueue.ts).
 */

/** What a delivery carries for latest mode; all empty for an `every` webhook. */
export interface LatestFields {
  /** The event's key; null: delivered as in `every` mode (never superseded, never debounced). */
  deliveryKey: string | null;
  /** A newer delivery of the same key in the same batch. */
  supersededBy: string | null;
  debounceMs: number;
  maxWaitMs: number;
}

const NONE: LatestFields = { deliveryKey: null, supersededBy: null, debounceMs: 0, maxWaitMs: 0 };

/**
 * The key of a queued delivery to a latest-mode webhook. A test event ("Send test event") has no
 * key: it is always sent, and never supersedes a real version.
 */
export function latestFields(webhook: RoutingWebhook, envelope: { name: string }, queued: boolean, test: boolean) {
  if (webhook.delivery.mode !== 'latest' || !queued || test) return NONE;
  const deliveryKey = eventKey(envelope, webhook.delivery.key);
  if (deliveryKey === null) return NONE;
  return { deliveryKey, supersededBy: null, ...debounceWindow(webhook.delivery.debounceSeconds) };
}

export interface KeyedDelivery extends LatestFields {
  id: string;
  webhookId: string;
  status: 'QUEUED' | 'FILTERED' | 'SUPERSEDED';
}

/**
 * Within one batch (deliveries in event order), only the newest delivery per webhook and key stays
 * QUEUED: each older one is SUPERSEDED by the next newer one (so the links form a chain to the newest).
 */
export function supersedeWithinBatch(deliveries: readonly KeyedDelivery[]): void {
  const newest = new Map<string, KeyedDelivery>();
  for (const delivery of deliveries) {
    if (delivery.deliveryKey === null || delivery.status !== 'QUEUED') continue;
    const group = `${delivery.webhookId}\u0000${delivery.deliveryKey}`;
    const older = newest.get(group);
    if (older) {
      older.status = 'SUPERSEDED';
      older.supersededBy = delivery.id;
    }
    newest.set(group, delivery);
  }
}
