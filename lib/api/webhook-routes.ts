import { z } from 'zod';
import { parseInput } from '../errors';
import { EVENT_CATALOG } from '../events/catalog';
import { getHub } from '../hubs/hubs';
import { createWebhook } from '../webhooks/create-webhook';
import { getWebhook, listWebhooks, WEBHOOK_SORT_FIELDS, type WebhookSortField } from '../webhooks/get-webhooks';
import { ZWebhookInput, ZWebhookPatch } from '../webhooks/types';
import { deleteWebhook, updateWebhook } from '../webhooks/update-webhook';
import { apiAuditContext } from './audit-log-route';
import { hal, noContent } from './http';
import { eventTypeResource, webhookResource } from './resources';
import { jsonOf, queryOf, secretVisibility, WIRE, withJsonBody } from './route-helpers';
import { type BearerRoute, route } from './route-types';
import type { ZEventTypeList, ZWebhookPage } from './wire-resources';

const isSortField = (field: string | undefined): field is WebhookSortField =>
  WEBHOOK_SORT_FIELDS.some((name) => name === field);

const ZPageQuery = z.object({
  page: z.coerce.number().int().min(0, 'page starts at 0').default(0).describe('The page, from 0'),
  size: z.coerce.number().int().min(1, 'size must be at least 1').max(100, 'size may be at most 100').default(20),
  sort: z
    .string()
    .default('createdDate,desc')
    .describe(`\`field,direction\`: field one of ${WEBHOOK_SORT_FIELDS.join(', ')}; direction asc or desc`)
    .transform((text, ctx) => {
      const [field, direction = 'asc'] = text.split(',').map((part) => part.trim());
      if (!isSortField(field)) {
        ctx.addIssue({ code: 'custom', message: `sort field must be one of ${WEBHOOK_SORT_FIELDS.join(', ')}` });
        return z.NEVER;
      }
      if (direction !== 'asc' && direction !== 'desc') {
        ctx.addIssue({ code: 'custom', message: 'sort direction must be asc or desc' });
        return z.NEVER;
      }
      return { field, direction: direction === 'asc' ? ('asc' as const) : ('desc' as const) };
    }),
});

const WEBHOOK = '/v2/content/hubs/:hubId/webhooks/:id';
const SECRET_NOTE = 'The signing secret (`secret`) is in the answer only for a token with webhooks:write.';

export const WEBHOOK_ROUTES: BearerRoute[] = [
  route(
    'GET',
    '/v2/content/hubs/:hubId/webhooks',
    {
      scope: 'webhooks:read',
      doc: {
        operationId: 'listWebhooks',
        tag: 'Webhooks',
        summary: "List a hub's webhooks",
        description: `Page-numbered, as the Management API pages. ${SECRET_NOTE}`,
        query: ZPageQuery,
        success: { status: 200, description: 'A page of webhooks', body: WIRE.webhookPage },
      },
    },
    async ({ params: { hubId }, url, links, grant }) => {
      await getHub(hubId);
      const page = await listWebhooks(hubId, parseInput(ZPageQuery, queryOf(url)));
      const pageLink = (number: number) => ({ href: `${links.webhooks(hubId)}?page=${number}&size=${page.page.size}` });
      const body: z.output<typeof ZWebhookPage> = {
        _embedded: { webhooks: page.items.map((webhook) => webhookResource(webhook, links, secretVisibility(grant))) },
        _links: {
          self: pageLink(page.page.number),
          first: pageLink(0),
          ...(page.page.number > 0 ? { prev: pageLink(page.page.number - 1) } : {}),
          ...(page.page.number + 1 < page.page.totalPages ? { next: pageLink(page.page.number + 1) } : {}),
          last: pageLink(Math.max(0, page.page.totalPages - 1)),
        },
        page: page.page,
      };
      return hal(body);
    },
  ),

  route(
    'POST',
    '/v2/content/hubs/:hubId/webhooks',
    withJsonBody('webhooks:write', {
      operationId: 'createWebhook',
      tag: 'Webhooks',
      summary: 'Create a webhook',
      description: 'Without a `secret`, Herald generates one; the answer holds it.',
      body: { name: 'WebhookInput', schema: ZWebhookInput },
      success: { status: 201, description: 'The webhook, with its signing secret', body: WIRE.webhook },
      errors: { 409: 'The hub has as many webhooks as it may (WEBHOOK_LIMIT_REACHED)' },
    }),
    async (context) => {
      const { params, links } = context;
      const webhook = await createWebhook(params.hubId, jsonOf(context), await apiAuditContext(context));
      return hal(webhookResource(webhook, links, 'with-secret'), 201);
    },
  ),

  route(
    'GET',
    '/v2/content/hubs/:hubId/webhooks/event-types',
    {
      scope: 'webhooks:read',
      doc: {
        operationId: 'listEventTypes',
        tag: 'Webhooks',
        summary: 'List the events a webhook may subscribe to',
        description: 'Each with a sample delivery and the JSONPath snippets its filters commonly use.',
        success: { status: 200, description: 'The event types', body: WIRE.eventTypes },
      },
    },
    async ({ params, links }) => {
      await getHub(params.hubId);
      const body: z.output<typeof ZEventTypeList> = {
        _embedded: { 'event-types': EVENT_CATALOG.map(eventTypeResource) },
        _links: { self: { href: `${links.webhooks(params.hubId)}/event-types` } },
      };
      return hal(body);
    },
  ),

  route(
    'GET',
    WEBHOOK,
    {
      scope: 'webhooks:read',
      doc: {
        operationId: 'getWebhook',
        tag: 'Webhooks',
        summary: 'Get a webhook',
        description: SECRET_NOTE,
        success: { status: 200, description: 'The webhook', body: WIRE.webhook },
      },
    },
    async ({ params, links, grant }) =>
      hal(webhookResource(await getWebhook(params.hubId, params.id), links, secretVisibility(grant))),
  ),

  route(
    'PATCH',
    WEBHOOK,
    withJsonBody('webhooks:write', {
      operationId: 'updateWebhook',
      tag: 'Webhooks',
      summary: 'Change a webhook',
      description: 'Only the fields sent change; `customPayload: null` and `rateLimit: null` remove them.',
      body: { name: 'WebhookPatch', schema: ZWebhookPatch },
      success: { status: 200, description: 'The webhook as it is now, with its signing secret', body: WIRE.webhook },
    }),
    async (context) => {
      const { params, links } = context;
      const patch = jsonOf(context);
      const webhook = await updateWebhook(params.hubId, params.id, patch, await apiAuditContext(context));
      return hal(webhookResource(webhook, links, 'with-secret'));
    },
  ),

  route(
    'DELETE',
    WEBHOOK,
    {
      scope: 'webhooks:write',
      doc: {
        operationId: 'deleteWebhook',
        tag: 'Webhooks',
        summary: 'Delete a webhook',
        success: { status: 204, description: 'Deleted' },
      },
    },
    async (context) => {
      await deleteWebhook(context.params.hubId, context.params.id, await apiAuditContext(context));
      return noContent();
    },
  ),
];
