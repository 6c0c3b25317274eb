import type { z } from 'zod';
import type { DeliveryView } from '../activity-log/read-deliveries';
import type { EventDefinition } from '../events/catalog';
import type { Hub } from '../hubs/hubs';
import type { DeliverySettings } from '../webhooks/delivery-settings';
import type { Webhook } from '../webhooks/types';
import type { Links } from './links';
import type { ZEventTypeResource, ZHubResource, ZRequestResource, ZWebhookResource } from './wire-resources';

/** HAL representations in the Management API's wire format, typed by their documented schemas (lib/api/wire-resources.ts). */

export function hubResource(hub: Hub, links: Links): z.output<typeof ZHubResource> {
  const self = links.hub(hub.id);
  return {
    id: hub.id,
    name: hub.name,
    label: hub.label,
    description: null,
    status: 'ACTIVE',
    createdDate: hub.createdDate.toISOString(),
    lastModifiedDate: hub.lastModifiedDate.toISOString(),
    _links: {
      self: { href: self },
      hub: { href: self },
      webhooks: { href: `${links.webhooks(hub.id)}{?page,size,sort}`, templated: true },
      'create-webhook': { href: links.webhooks(hub.id) },
      events: { href: links.events(hub.id) },
    },
  };
}

/**
 * Who may see a webhook's signing secret: only a token that may also change the webhook
 * (`webhooks:write`). A read-only token (a dashboard's) could otherwise forge deliveries to the
 * webhook's receiver; it gets the webhook without the field, which the SDK's model leaves optional.
 */
export type SecretVisibility = 'with-secret' | 'without-secret';

/** Exactly the fields of the Management API's webhook; secret header values are never returned. */
export function webhookResource(
  webhook: Webhook,
  links: Links,
  visibility: SecretVisibility,
): z.output<typeof ZWebhookResource> {
  const self = links.webhook(webhook.hubId, webhook.id);
  return {
    id: webhook.id,
    label: webhook.label,
    events: webhook.events,
    handlers: webhook.handlers,
    active: webhook.active,
    notifications: webhook.notifications,
    ...(visibility === 'with-secret' ? { secret: webhook.secret } : {}),
    // Already `{ key, value: null, secret: true }` for secret headers (toWebhook never reveals them).
    headers: webhook.headers,
    filters: webhook.filters,
    method: webhook.method,
    customPayload: webhook.customPayload,
    ...(webhook.rateLimit !== null ? { rateLimit: webhook.rateLimit } : {}),
    // Like rateLimit, only when set: an `every` webhook keeps exactly the Management API's fields.
    ...(webhook.delivery.mode !== 'every' ? { delivery: deliveryResource(webhook.delivery) } : {}),
    createdDate: webhook.createdDate.toISOString(),
    lastModifiedDate: webhook.lastModifiedDate.toISOString(),
    _links: {
      self: { href: self },
      hub: { href: links.hub(webhook.hubId) },
      requests: { href: `${links.requests(webhook.hubId, webhook.id)}{?cursor,limit,excludeStatus}`, templated: true },
      'event-types': { href: `${links.webhooks(webhook.hubId)}/event-types` },
      update: { href: self },
      delete: { href: self },
    },
  };
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function requestResource(delivery: DeliveryView, links: Links): z.output<typeof ZRequestResource> {
  const self = links.request(delivery.hubId, delivery.webhookId, delivery.id);
  return {
    id: delivery.id,
    status: delivery.status,
    event: { ...delivery.event, createdDate: delivery.event.createdDate.toISOString() },
    filterReport: delivery.filterReport,
    customPayload: delivery.payloadTemplate,
    urlTemplate: delivery.urlTemplate,
    request: delivery.request,
    attemptCount: delivery.attemptCount,
    chain: delivery.chain,
    nextAttemptAt: iso(delivery.nextAttemptAt),
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    deliveredAt: iso(delivery.deliveredAt),
    ...(delivery.deliveryKey !== null ? { deliveryKey: delivery.deliveryKey } : {}),
    ...(delivery.supersededBy !== null ? { supersededBy: delivery.supersededBy } : {}),
    createdDate: delivery.createdDate.toISOString(),
    lastModifiedDate: delivery.lastModifiedDate.toISOString(),
    attempts: delivery.attempts.map((attempt) => ({
      ...attempt,
      startedAt: attempt.startedAt.toISOString(),
      nextAttemptAt: iso(attempt.nextAttemptAt),
    })),
    _links: {
      self: { href: self },
      webhook: { href: links.webhook(delivery.hubId, delivery.webhookId) },
      redeliver: { href: `${self}/redeliver` },
      ...(delivery.supersededBy !== null
        ? { 'superseded-by': { href: links.request(delivery.hubId, delivery.webhookId, delivery.supersededBy) } }
        : {}),
    },
  };
}

export function eventTypeResource(definition: EventDefinition): z.output<typeof ZEventTypeResource> {
  return {
    name: definition.name,
    label: definition.label,
    description: definition.description,
    filterSnippets: definition.filterSnippets,
    sample: definition.samples[0]?.envelope ?? null,
  };
}

/** `delivery` as the API answers it: the mode, the debounce and the key path (null: each event's default path). */
function deliveryResource(delivery: DeliverySettings) {
  return { mode: delivery.mode, debounceSeconds: delivery.debounceSeconds, key: delivery.key };
}
