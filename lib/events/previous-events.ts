import type pg from 'pg';
import { comparesWithPrevious } from '../filters/evaluate';
import { type BatchKeys, readStoredHeads, type StoredHeads } from '../key-history/key-history';
import type { EventToCommit } from './commit-events';
import type { HubWebhooks, RoutingWebhook } from './hub-webhooks';

/**
 * What an emit knows of its events' previous versions (lib/key-history): the batch's keys, and the
 * stored heads when a `changed` filter will compare with them. Emits to hubs without `changed`
 * filters (nearly all of them) read nothing more than before.
 */
export interface EmitHistory {
  batch: BatchKeys;
  stored: StoredHeads | null;
}

/** Per version of a hub's webhooks: the events whose subscribers compare with the previous event. */
const comparing = new WeakMap<HubWebhooks, { names: Set<string>; ids: Set<string> }>();

function comparingOf(webhooks: HubWebhooks) {
  let found = comparing.get(webhooks);
  if (!found) {
    const names = new Set<string>();
    const ids = new Set<string>();
    const compares = (webhook: RoutingWebhook) => comparesWithPrevious(webhook.compiledFilters);
    for (const [name, subscribed] of webhooks.byEvent) if (subscribed.some(compares)) names.add(name);
    for (const webhook of webhooks.byId.values()) if (compares(webhook)) ids.add(webhook.id);
    found = { names, ids };
    comparing.set(webhooks, found);
  }
  return found;
}

/** True when some event goes to a webhook with a `changed` filter. */
function needsStoredHeads(webhooks: HubWebhooks, events: readonly EventToCommit[]): boolean {
  const { names, ids } = comparingOf(webhooks);
  if (names.size === 0 && ids.size === 0) return false;
  return events.some((event) => (event.onlyWebhookId ? ids.has(event.onlyWebhookId) : names.has(event.name)));
}

export async function emitHistory(
  pool: pg.Pool,
  hubId: string,
  webhooks: HubWebhooks,
  events: readonly EventToCommit[],
  batch: BatchKeys,
): Promise<EmitHistory> {
  const stored = needsStoredHeads(webhooks, events) ? await readStoredHeads(pool, hubId, batch) : null;
  return { batch, stored };
}
