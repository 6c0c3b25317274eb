import { z } from 'zod';
import { DELIVERY_STATUSES } from '../activity-log/read-deliveries';
import { ZFilter } from '../filters/types';
import { CUSTOM_PAYLOAD_TYPE, WEBHOOK_METHODS } from '../webhooks/webhook-constants';
import { ZCursor, ZCursorLinks, ZLink, ZPageInfo, ZSelfLinks } from './wire-common';

/**
 * The API's resources as it sends them (HAL: `_links`, lists under `_embedded`), in the Management
 * API's wire format. lib/api/resources.ts builds them typed by these schemas; lib/api/openapi.ts
 * documents them from the same schemas.
 */

const ZInstant = z.iso.datetime({ offset: true });

export const ZHubResource = z.object({
  id: z.string(),
  name: z.string(),
  label: z.string(),
  description: z.null(),
  status: z.literal('ACTIVE'),
  createdDate: ZInstant,
  lastModifiedDate: ZInstant,
  _links: z.object({
    self: ZLink,
    hub: ZLink,
    webhooks: ZLink,
    'create-webhook': ZLink,
    events: ZLink,
  }),
});

export const ZHubList = z.object({
  _embedded: z.object({ hubs: z.array(ZHubResource) }),
  _links: ZSelfLinks,
  page: ZPageInfo,
});

export const ZWebhookResource = z.object({
  id: z.string(),
  label: z.string(),
  events: z.array(z.string()),
  handlers: z.array(z.string()),
  active: z.boolean(),
  notifications: z.array(
    z.object({ email: z.string(), confirmed: z.boolean().describe('Herald may mail the address; read-only') }),
  ),
  secret: z
    .string()
    .nullable()
    .optional()
    .describe('The signing secret: only for a token with webhooks:write; null if this install cannot decrypt it'),
  headers: z.array(
    z.object({
      key: z.string(),
      value: z.string().nullable().describe('Null for a secret header: its value is never sent back'),
      secret: z.boolean(),
    }),
  ),
  filters: z.array(ZFilter),
  method: z.enum(WEBHOOK_METHODS),
  customPayload: z.object({ type: z.literal(CUSTOM_PAYLOAD_TYPE), value: z.string() }).nullable(),
  rateLimit: z.number().int().optional().describe('Deliveries per second at most; absent: no limit'),
  delivery: z
    .object({
      mode: z.enum(['every', 'latest']),
      debounceSeconds: z.number().int(),
      key: z.string().nullable().describe("The key's JSONPath; null: each event's default"),
    })
    .optional()
    .describe('Latest version per key and debounce; absent: every event is delivered (mode every)'),
  createdDate: ZInstant,
  lastModifiedDate: ZInstant,
  _links: z.object({
    self: ZLink,
    hub: ZLink,
    requests: ZLink,
    'event-types': ZLink,
    update: ZLink,
    delete: ZLink,
  }),
});

export const ZWebhookPage = z.object({
  _embedded: z.object({ webhooks: z.array(ZWebhookResource) }),
  _links: z.object({ self: ZLink, first: ZLink, prev: ZLink.optional(), next: ZLink.optional(), last: ZLink }),
  page: ZPageInfo,
});

const ZEnvelope = z.object({
  sequenceId: z.number().int(),
  id: z.string(),
  name: z.string(),
  requestId: z.string(),
  resource: z.string(),
  payload: z.record(z.string(), z.unknown()),
});

export const ZEventTypeResource = z.object({
  name: z.string(),
  label: z.string(),
  description: z.string(),
  filterSnippets: z.array(
    z.object({
      label: z.string(),
      jsonPath: z.string(),
      type: z.literal('changed').optional().describe('A snippet for a `changed` filter; absent: `equal`'),
    }),
  ),
  sample: ZEnvelope.nullable().describe('What a delivery of this event looks like'),
});

export const ZEventTypeList = z.object({
  _embedded: z.object({ 'event-types': z.array(ZEventTypeResource) }),
  _links: ZSelfLinks,
});

const ZHeaders = z.record(z.string(), z.string());

const ZAttempt = z.object({
  number: z.number().int(),
  chain: z.number().int().describe('0 for the first delivery; each redeliver or recover starts the next chain'),
  startedAt: ZInstant,
  durationMs: z.number(),
  requestHeaders: ZHeaders,
  response: z
    .object({ status: z.number().int(), headers: ZHeaders, body: z.string(), truncated: z.boolean() })
    .nullable(),
  error: z.string().nullable(),
  succeeded: z.boolean(),
  nextAttemptAt: ZInstant.nullable(),
});

const ZFilterReport = z.object({
  matched: z.boolean().describe('Every filter matched or was ignored'),
  filters: z.array(
    z.object({
      jsonPath: z.string(),
      type: z.enum(['equal', 'in', 'changed']),
      expected: z
        .union([z.string(), z.array(z.string())])
        .optional()
        .describe('What `equal` / `in` accept'),
      found: z.array(z.unknown()),
      previous: z
        .array(z.unknown())
        .optional()
        .describe('`changed`: what the path selected in the previous event of the key'),
      change: z.string().optional().describe('`changed`: the comparison in words (`was "a", now "b"`)'),
      outcome: z.enum(['matched', 'not_matched', 'ignored']),
      matchedValue: z.string().optional(),
      reason: z.string().optional(),
    }),
  ),
});

/** One delivery of one event to one webhook, with its attempts (newest first). */
export const ZRequestResource = z.object({
  id: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  event: z.object({
    id: z.string(),
    name: z.string(),
    sequenceId: z.number().int(),
    requestId: z.string(),
    createdDate: ZInstant,
  }),
  filterReport: ZFilterReport,
  customPayload: z.string().nullable(),
  urlTemplate: z.string().nullable(),
  request: z.object({ method: z.string(), url: z.string(), headers: ZHeaders, body: z.string() }).nullable(),
  attemptCount: z.number().int(),
  chain: z.number().int(),
  nextAttemptAt: ZInstant.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: ZInstant.nullable(),
  deliveryKey: z.string().optional().describe('The key of a latest-mode delivery'),
  supersededBy: z.string().optional().describe('SUPERSEDED: the newer delivery of the same key'),
  createdDate: ZInstant,
  lastModifiedDate: ZInstant,
  attempts: z.array(ZAttempt),
  _links: z.object({ self: ZLink, webhook: ZLink, redeliver: ZLink, 'superseded-by': ZLink.optional() }),
});

export const ZRequestList = z.object({
  _embedded: z.object({ requests: z.array(ZRequestResource) }),
  _links: ZCursorLinks,
  cursor: ZCursor,
});

export const ZAuditEntryResource = z.object({
  id: z.string(),
  createdDate: ZInstant,
  actor: z.object({ type: z.enum(['user', 'api-client', 'system']), id: z.string().nullable(), label: z.string() }),
  action: z.string().describe('`<noun>.<past participle>`, e.g. webhook.updated'),
  target: z.object({ type: z.string(), id: z.string(), label: z.string().optional() }).nullable(),
  changes: z
    .record(z.string(), z.union([z.object({ from: z.unknown(), to: z.unknown() }), z.literal('changed')]))
    .nullable()
    .describe('Old and new value by field; "changed" for a secret'),
  sourceIp: z.string().nullable(),
  _links: z.object({ webhook: ZLink }).optional(),
});

export const ZAuditLogList = z.object({
  _embedded: z.object({ 'audit-log': z.array(ZAuditEntryResource) }),
  _links: ZCursorLinks,
  cursor: ZCursor,
});

export const ZEventAnswer = z.object({
  id: z.string(),
  sequenceId: z.number().int(),
  deliveries: z.array(z.object({ id: z.string(), webhookId: z.string(), status: z.enum(['QUEUED', 'FILTERED']) })),
});

export const ZEventBatchAnswer = z.object({
  events: z.array(ZEventAnswer).describe('In the order sent'),
});

export const ZRecoverAnswer = z.object({
  count: z.number().int().describe('FAILED deliveries that start a new attempt chain'),
});

export const ZContentAnswer = z.object({
  content: z.record(z.string(), z.unknown()).describe('The content item, its linked items inlined'),
});
