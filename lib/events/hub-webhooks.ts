import type pg from 'pg';
import { type Param, param, sql, statement } from '../db/sql';
import { NotFoundError } from '../errors';
import type { DeliverySettings } from '../event-keys/delivery-mode';
import { type CompiledFilter, compileFilters } from '../filters/evaluate';
import type { TFilter } from '../filters/types';

/** What decides where a hub's events go. */
export interface RoutingWebhook {
  id: string;
  active: boolean;
  events: string[];
  filters: TFilter[];
  /** `every` event, or only the `latest` version per key (lib/event-keys/delivery-mode.ts). */
  delivery: DeliverySettings;
  /** The filters parsed once per version of the hub's webhooks, evaluated on every event. */
  compiledFilters: CompiledFilter[];
}

export interface HubWebhooks {
  /** hubs.webhooks_version these were read at (a trigger bumps it on every change to them). */
  version: string;
  byId: ReadonlyMap<string, RoutingWebhook>;
  /** The active webhooks subscribed to each event name. */
  byEvent: ReadonlyMap<string, readonly RoutingWebhook[]>;
}

/**
 * A hub's webhooks, read once and kept until an emit finds them stale: the emit statement
 * commits only if the hub's version is still the one planned with (lib/events/commit-events.ts),
 * and otherwise drops the entry and plans again. A stale entry therefore costs one retry and
 * can never route an event; no notification has to arrive in time for it to be right.
 */
const cache = new Map<string, HubWebhooks>();

// One statement, so the version and the webhooks come from the same snapshot.
const LOAD = statement<
  { hubId: Param<string> },
  { version: string; webhooks: Omit<RoutingWebhook, 'compiledFilters'>[] }
>(
  'herald-hub-webhooks',
  { hubId: param() },
  (p) => sql`
SELECT h.webhooks_version::text AS version,
       COALESCE((
         SELECT json_agg(json_build_object(
                  'id', w.id, 'active', w.active, 'events', w.events,
                  'delivery', json_build_object('mode', w.delivery_mode, 'debounceSeconds', w.debounce_seconds,
                                                'key', w.delivery_key_path),
                  'filters', COALESCE((
                    SELECT json_agg(json_build_object('type', f.type, 'arguments', CASE
                             WHEN f.type = 'changed' THEN json_build_array(json_build_object('jsonPath', f.json_path))
                             ELSE json_build_array(json_build_object('jsonPath', f.json_path),
                                                   json_build_object('value', f.value)) END)
                           ORDER BY f.position)
                      FROM webhook_filters f WHERE f.webhook_id = w.id), '[]'::json))
                ORDER BY w.created_date, w.id)
           FROM webhooks w WHERE w.hub_id = h.id), '[]'::json) AS webhooks
  FROM hubs h
 WHERE h.id = ${p.hubId}`,
);

export async function hubWebhooks(pool: pg.Pool, hubId: string): Promise<HubWebhooks> {
  const cached = cache.get(hubId);
  if (cached) return cached;
  const { rows } = await LOAD.run(pool, { hubId });
  const row = rows[0];
  if (!row) throw new NotFoundError('Hub', hubId);
  const webhooks = row.webhooks.map(
    (webhook): RoutingWebhook => ({ ...webhook, compiledFilters: compileFilters(webhook.filters) }),
  );
  const byEvent = new Map<string, RoutingWebhook[]>();
  for (const webhook of webhooks) {
    if (!webhook.active) continue;
    for (const name of webhook.events) {
      const subscribed = byEvent.get(name);
      if (subscribed) subscribed.push(webhook);
      else byEvent.set(name, [webhook]);
    }
  }
  const loaded: HubWebhooks = {
    version: row.version,
    byId: new Map(webhooks.map((webhook) => [webhook.id, webhook])),
    byEvent,
  };
  cache.set(hubId, loaded);
  return loaded;
}

/** Drops a hub's entry that turned out stale (only if it is still the one that did). */
export function forgetHubWebhooks(hubId: string, stale: HubWebhooks): void {
  if (cache.get(hubId) === stale) cache.delete(hubId);
}
