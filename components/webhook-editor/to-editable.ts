import type { Webhook } from '@/lib/webhooks/types';
import type { EditableWebhook } from './editor-state';

/** The plain data the client editor needs (no Dates, nothing it does not show). */
export function toEditable(webhook: Webhook): EditableWebhook {
  return {
    id: webhook.id,
    label: webhook.label,
    events: webhook.events,
    method: webhook.method,
    handlers: webhook.handlers,
    active: webhook.active,
    secret: webhook.secret,
    disabledReason: webhook.disabledReason,
    headers: webhook.headers,
    filters: webhook.filters as EditableWebhook['filters'],
    customPayload: webhook.customPayload ? { value: webhook.customPayload.value } : null,
    notifications: webhook.notifications,
    rateLimit: webhook.rateLimit,
    delivery: webhook.delivery,
  };
}
