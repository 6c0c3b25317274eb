import { z } from 'zod';
import { getDelivery, listDeliveries } from '../activity-log/read-deliveries';
import { recoverFailed, WebhookOffError } from '../activity-log/recover';
import { redeliver } from '../activity-log/redeliver';
import type { TokenGrant } from '../auth/access-tokens';
import type { Scope } from '../auth/scopes';
import { parseInput } from '../errors';
import { EVENT_CATALOG } from '../events/catalog';
import { getHub, listHubs } from '../hubs/hubs';
import { createWebhook } from '../webhooks/create-webhook';
import { getWebhook, listWebhooks, WEBHOOK_SORT_FIELDS, type WebhookSortField } from '../webhooks/get-webhooks';
import { deleteWebhook, updateWebhook } from '../webhooks/update-webhook';
import { apiAuditContext, auditLogRoute } from './audit-log-route';
import { contentDeliveryRoute } from './content-delivery';
import { apiError, hal, json, noContent } from './http';
import { ingestAnswer, MAX_BATCH_BODY_BYTES } from './ingest';
import { MAX_API_BODY_BYTES, parseJsonBody } from './json-body';
import { eventTypeResource, hubResource, requestResource, type SecretVisibility, webhookResource } from './resources';
import { type RequestContext, type Route, type RouteOptions, route } from './route-types';

const isSortField = (field: string | undefined): field is WebhookSortField =>
  WEBHOOK_SORT_FIELDS.some((name) => name === field);

const ZPageQuery = z.object({
  page: z.coerce.number().int().min(0, 'page starts at 0').default(0),
  size: z.coerce.number().int().min(1, 'size must be at least 1').max(100, 'size may be at most 100').default(20),
  sort: z
    .string()
    .default('createdDate,desc')
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

const query = (url: URL) => Object.fromEntries(url.searchParams);

/** A route that takes a JSON body of at most MAX_API_BODY_BYTES. */
const WITH_JSON_BODY = (scope: Scope): RouteOptions => ({ scope, bodyLimitBytes: MAX_API_BODY_BYTES });

const jsonOf = (context: Pick<RequestContext, 'body'>) => parseJsonBody(context.body.toString('utf8'));

/** Reads carry the signing secret only for a token that could change the webhook anyway. */
const secretVisibility = (grant: TokenGrant): SecretVisibility =>
  grant.scopes.has('webhooks:write') ? 'with-secret' : 'without-secret';

const WEBHOOK = '/v2/content/hubs/:hubId/webhooks/:id';
const REQUEST = `${WEBHOOK}/requests/:requestId` as const;

export const ROUTES: Route[] = [
  // Hubs are where every client starts (ingestion included): any token lists the hubs it may reach.
  route('GET', '/v2/content/hubs', { scope: null }, async ({ links, grant }) => {
    const hubs = (await listHubs()).filter((hub) => grant.hubIds === null || grant.hubIds.has(hub.id));
    return hal({
      _embedded: { hubs: hubs.map((hub) => hubResource(hub, links)) },
      _links: { self: { href: `${links.api}/hubs` } },
      page: { size: hubs.length, totalElements: hubs.length, totalPages: 1, number: 0 },
    });
  }),

  route('GET', '/v2/content/hubs/:hubId', { scope: null }, async ({ params, links }) =>
    hal(hubResource(await getHub(params.hubId), links)),
  ),

  route(
    'GET',
    '/v2/content/hubs/:hubId/webhooks',
    { scope: 'webhooks:read' },
    async ({ params: { hubId }, url, links, grant }) => {
      await getHub(hubId);
      const page = await listWebhooks(hubId, parseInput(ZPageQuery, query(url)));
      const pageLink = (number: number) => ({ href: `${links.webhooks(hubId)}?page=${number}&size=${page.page.size}` });
      return hal({
        _embedded: { webhooks: page.items.map((webhook) => webhookResource(webhook, links, secretVisibility(grant))) },
        _links: {
          self: pageLink(page.page.number),
          first: pageLink(0),
          ...(page.page.number > 0 ? { prev: pageLink(page.page.number - 1) } : {}),
          ...(page.page.number + 1 < page.page.totalPages ? { next: pageLink(page.page.number + 1) } : {}),
          last: pageLink(Math.max(0, page.page.totalPages - 1)),
        },
        page: page.page,
      });
    },
  ),

  route('POST', '/v2/content/hubs/:hubId/webhooks', WITH_JSON_BODY('webhooks:write'), async (context) => {
    const { params, links } = context;
    const webhook = await createWebhook(params.hubId, jsonOf(context), await apiAuditContext(context));
    return hal(webhookResource(webhook, links, 'with-secret'), 201);
  }),

  route(
    'GET',
    '/v2/content/hubs/:hubId/webhooks/event-types',
    { scope: 'webhooks:read' },
    async ({ params, links }) => {
      await getHub(params.hubId);
      return hal({
        _embedded: { 'event-types': EVENT_CATALOG.map(eventTypeResource) },
        _links: { self: { href: `${links.webhooks(params.hubId)}/event-types` } },
      });
    },
  ),

  route('GET', WEBHOOK, { scope: 'webhooks:read' }, async ({ params, links, grant }) =>
    hal(webhookResource(await getWebhook(params.hubId, params.id), links, secretVisibility(grant))),
  ),

  route('PATCH', WEBHOOK, WITH_JSON_BODY('webhooks:write'), async (context) => {
    const { params, links } = context;
    const patch = jsonOf(context);
    return hal(
      webhookResource(
        await updateWebhook(params.hubId, params.id, patch, await apiAuditContext(context)),
        links,
        'with-secret',
      ),
    );
  }),

  route('DELETE', WEBHOOK, { scope: 'webhooks:write' }, async (context) => {
    await deleteWebhook(context.params.hubId, context.params.id, await apiAuditContext(context));
    return noContent();
  }),

  // Svix-style recovery: every FAILED delivery in the window starts a new attempt chain.
  route('POST', `${WEBHOOK}/recover`, WITH_JSON_BODY('webhooks:write'), async (context) => {
    const { hubId, id } = context.params;
    try {
      const window = jsonOf(context);
      return json({ count: await recoverFailed(hubId, id, window, await apiAuditContext(context)) }, 202);
    } catch (error) {
      if (error instanceof WebhookOffError) return apiError(409, 'CONFLICT', error.message);
      throw error;
    }
  }),

  route('GET', `${WEBHOOK}/requests`, { scope: 'webhooks:read' }, async ({ params: { hubId, id }, url, links }) => {
    const page = await listDeliveries(hubId, id, query(url));
    const base = links.requests(hubId, id);
    const next = new URLSearchParams();
    if (page.nextCursor) next.set('cursor', page.nextCursor);
    for (const name of ['limit', 'excludeStatus']) {
      const value = url.searchParams.get(name);
      if (value) next.set(name, value);
    }
    return hal({
      _embedded: { requests: page.items.map((delivery) => requestResource(delivery, links)) },
      _links: {
        self: { href: `${base}${url.search}` },
        ...(page.nextCursor ? { next: { href: `${base}?${next}` } } : {}),
      },
      cursor: { next: page.nextCursor },
    });
  }),

  route('GET', REQUEST, { scope: 'webhooks:read' }, async ({ params, links }) =>
    hal(requestResource(await getDelivery(params.hubId, params.id, params.requestId), links)),
  ),

  route('POST', `${REQUEST}/redeliver`, { scope: 'webhooks:write' }, async (context) => {
    const {
      params: { hubId, id, requestId },
      links,
    } = context;
    await redeliver(hubId, id, requestId, await apiAuditContext(context));
    return hal(requestResource(await getDelivery(hubId, id, requestId), links), 202);
  }),

  // Ingestion, the hot path: the body's bytes go to the emit as they are (the Idempotency-Key hashes them).
  route(
    'POST',
    '/v2/content/hubs/:hubId/events',
    { scope: 'events:write', bodyLimitBytes: MAX_API_BODY_BYTES, idempotencyKey: true },
    (context) => ingestAnswer(context.params.hubId, context, false),
  ),

  route(
    'POST',
    '/v2/content/hubs/:hubId/events:batch',
    { scope: 'events:write', bodyLimitBytes: MAX_BATCH_BODY_BYTES, idempotencyKey: true },
    (context) => ingestAnswer(context.params.hubId, context, true),
  ),

  auditLogRoute,

  contentDeliveryRoute,
];
