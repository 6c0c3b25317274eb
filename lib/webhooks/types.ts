import { z } from 'zod';
import { ZEventName } from '../events/catalog';
import { MAX_FILTERS, type TFilter, ZFilter } from '../filters/types';
import { validateTemplate } from '../templates/validate';
import { type DeliverySettings, ZDeliverySettings } from './delivery-settings';
import { ZHeaderList } from './headers';

import { CUSTOM_PAYLOAD_TYPE, WEBHOOK_METHODS, type WebhookMethod } from './webhook-constants';

export { CUSTOM_PAYLOAD_TYPE, WEBHOOK_METHODS, type WebhookMethod } from './webhook-constants';

// PostgreSQL text cannot hold U+0000: refused here, with the field, rather than failing the write.
const NO_NUL = [(text: string) => !text.includes('\u0000'), 'may not contain the NUL character (U+0000)'] as const;

const ZLabel = z
  .string({ error: 'label is required' })
  .trim()
  .min(1, 'label is required')
  .max(128, 'label may be at most 128 characters')
  .refine(...NO_NUL);

const ZEvents = z
  .array(ZEventName, { error: 'events must be a list of event names' })
  .min(1, 'choose at least one event')
  .transform((events) => [...new Set(events)]);

/**
 * An absolute http(s) URL, or a handlebars template that renders to one. An empty or too long URL
 * stops here (abort), so it gets one message, not also "must be an absolute http(s) URL".
 */
export const ZHandlerUrl = z
  .string()
  .trim()
  .min(1, { message: 'URL is required', abort: true })
  .max(2048, { message: 'URL may be at most 2048 characters', abort: true })
  .refine(...NO_NUL)
  .superRefine((url, ctx) => {
    if (url.includes('{{')) {
      const result = validateTemplate(url, 'url');
      if (!result.ok) ctx.addIssue({ code: 'custom', message: `invalid URL template: ${result.message}` });
      else if (!/^(https?:\/\/|\{\{)/i.test(url)) {
        ctx.addIssue({ code: 'custom', message: 'URL must start with http:// or https://' });
      }
      return;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
      return;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `must be an http(s) URL, not ${parsed.protocol}` });
    }
    if (parsed.username || parsed.password) {
      ctx.addIssue({ code: 'custom', message: 'credentials in the URL are not allowed; add a basic auth header' });
    }
  });

const ZHandlers = z
  .array(ZHandlerUrl, { error: 'handlers must be a list with one URL' })
  .length(1, 'give exactly one handler URL');

const ZFilters = z.array(ZFilter).max(MAX_FILTERS, `at most ${MAX_FILTERS} filters`);

export const ZCustomPayload = z
  .object({
    type: z.literal(CUSTOM_PAYLOAD_TYPE, { error: `type must be "${CUSTOM_PAYLOAD_TYPE}"` }),
    value: z.string().refine(...NO_NUL),
  })
  .superRefine((payload, ctx) => {
    const result = validateTemplate(payload.value, 'payload');
    if (!result.ok) ctx.addIssue({ code: 'custom', path: ['value'], message: result.message });
  });

const ZSecret = z
  .string()
  .min(16, 'secret must be at least 16 characters')
  .max(512, 'secret may be at most 512 characters')
  .refine((secret) => !/[\r\n\0]/.test(secret), 'secret may not contain line breaks');

/**
 * Whom Herald emails when a delivery fails for good or the webhook is turned off: one address, as
 * the Management API allows. Any other key of an entry (`confirmed`, as the API answers it) is dropped.
 */
const ZNotifications = z
  .array(
    z.object({
      email: z
        .string({ error: 'email is required' })
        .trim()
        .max(254, 'email may be at most 254 characters')
        .pipe(z.email('must be a valid email address')),
    }),
    { error: 'notifications must be a list of { "email": … }' },
  )
  .max(1, 'Cannot exceed the maximum of 1 notification');

/** Deliveries per second, across all workers; null (PATCH) removes the limit. */
const ZRateLimit = z
  .number({ error: 'rateLimit must be a number of deliveries per second' })
  .int('rateLimit must be a whole number of deliveries per second')
  .min(1, 'rateLimit must be at least 1 delivery per second')
  .max(10_000, 'rateLimit may be at most 10000 deliveries per second');

const ZMethod = z.enum(WEBHOOK_METHODS, { error: 'method must be POST, PUT, PATCH or DELETE' });

export const ZWebhookInput = z.object({
  label: ZLabel,
  events: ZEvents,
  handlers: ZHandlers,
  active: z.boolean().default(true),
  notifications: ZNotifications.default([]),
  secret: ZSecret.optional(),
  headers: ZHeaderList.default([]),
  filters: ZFilters.default([]),
  method: ZMethod.default('POST'),
  customPayload: ZCustomPayload.nullable().optional(),
  rateLimit: ZRateLimit.nullable().optional(),
  delivery: ZDeliverySettings.optional(),
});

export type TWebhookInput = z.input<typeof ZWebhookInput>;
export type TWebhookCreate = z.output<typeof ZWebhookInput>;

/** PATCH: only the fields present change. Null clears the custom payload. */
export const ZWebhookPatch = z.object({
  label: ZLabel.optional(),
  events: ZEvents.optional(),
  handlers: ZHandlers.optional(),
  active: z.boolean().optional(),
  notifications: ZNotifications.optional(),
  secret: ZSecret.optional(),
  headers: ZHeaderList.optional(),
  filters: ZFilters.optional(),
  method: ZMethod.optional(),
  customPayload: ZCustomPayload.nullable().optional(),
  rateLimit: ZRateLimit.nullable().optional(),
  /** Replaced whole: fields left out take their defaults. */
  delivery: ZDeliverySettings.optional(),
});

export type TWebhookPatch = z.input<typeof ZWebhookPatch>;

export interface WebhookHeaderView {
  key: string;
  /** Null for secret headers: their value is never shown again after saving. */
  value: string | null;
  secret: boolean;
}

export interface CustomPayload {
  type: typeof CUSTOM_PAYLOAD_TYPE;
  value: string;
}

export interface Webhook {
  id: string;
  hubId: string;
  label: string;
  events: string[];
  handlers: string[];
  active: boolean;
  /** `confirmed`: Herald may mail the address (confirmed through its link, or a user's); read-only. */
  notifications: { email: string; confirmed: boolean }[];
  method: WebhookMethod;
  /** Null when this server's encryption key cannot open it (a row restored from another install). */
  secret: string | null;
  headers: WebhookHeaderView[];
  filters: TFilter[];
  customPayload: CustomPayload | null;
  /** Deliveries per second at most, across all workers; null: no limit. */
  rateLimit: number | null;
  /** `every` event, or only the `latest` version per key (with an optional debounce). */
  delivery: DeliverySettings;
  disabledReason: string | null;
  disabledAt: Date | null;
  createdDate: Date;
  lastModifiedDate: Date;
}
