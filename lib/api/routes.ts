import { z } from 'zod';
import { getDelivery, listDeliveries } from '../deliveries/read-deliveries';
import { redeliver } from '../deliveries/redeliver';
import { parseInput } from '../errors';
import { EVENT_CATALOG } from '../events/catalog';
import { emitEvent, type TEmitEventInput } from '../events/emit-event';
import { getHub, listHubs } from '../hubs/hubs';
import { createWebhook } from '../webhooks/create-webhook';
import { getWebhook, listWebhooks, WEBHOOK_SORT_FIELDS } from '../webhooks/get-webhooks';
import type { TWebhookInput, TWebhookPatch } from '../webhooks/types';
import { deleteWebhook, updateWebhook } from '../webhooks/update-webhook';
import { hal, json, noContent, readJsonBody } from './http';
import { eventTypeResource, hubResource, requestResource, webhookResource } from './resources';
import type { Route } from './router';

const ZPageQuery = z.object({
  page: z.coerce.number().int().min(0, 'page starts at 0').default(0),
  size: z.coerce.number().int().min(1, 'size must be at least 1').max(100, 'size may be at most 100').default(20),
  sort: z
    .string()
    .default('createdDate,desc')
    .transform((text, ctx) => {
      const [field, direction = 'asc'] = text.split(',').map((part) => part.trim());
      if (!WEBHOOK_SORT_FIELDS.includes(field as (typeof WEBHOOK_SORT_FIELDS)[number])) {
        ctx.addIssue({ code: 'custom', message: `sort field must be one of ${WEBHOOK_SORT_FIELDS.join(', ')}` });
        return z.NEVER;
      }
      if (direction !== 'asc' && direction !== 'desc') {
        ctx.addIssue({ code: 'custom', message: 'sort direction must be asc or desc' });
        return z.NEVER;
      }
      return { field: field as (typeof WEBHOOK_SORT_FIELDS)[number], direction: direction as 'asc' | 'desc' };
    }),
});

const query = (url: URL) => Object.fromEntries(url.searchParams);

export const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: '/v2/content/hubs',
    handler: async ({ links }) => {
      const hubs = await listHubs();
      return hal({
        _embedded: { hubs: hubs.map((hub) => hubResource(hub, links)) },
        _links: { self: { href: `${links.api}/hubs` } },
        page: { size: hubs.length, totalElements: hubs.length, totalPages: 1, number: 0 },
      });
    },
  },
  {
    method: 'GET',
    pattern: '/v2/content/hubs/:hubId',
    handler: async ({ params, links }) => hal(hubResource(await getHub(params.hubId as string), links)),
  },
  {
    method: 'GET',
    pattern: '/v2/content/hubs/:hubId/webhooks',
    handler: async ({ params, url, links }) => {
      const hubId = params.hubId as string;
      await getHub(hubId);
      const request = parseInput(ZPageQuery, query(url));
      const page = await listWebhooks(hubId, request);
      const self = `${links.webhooks(hubId)}?page=${page.page.number}&size=${page.page.size}`;
      const pageLink = (number: number) => ({ href: `${links.webhooks(hubId)}?page=${number}&size=${page.page.size}` });
      return hal({
        _embedded: { webhooks: page.items.map((webhook) => webhookResource(webhook, links)) },
        _links: {
          self: { href: self },
          first: pageLink(0),
          ...(page.page.number > 0 ? { prev: pageLink(page.page.number - 1) } : {}),
          ...(page.page.number + 1 < page.page.totalPages ? { next: pageLink(page.page.number + 1) } : {}),
          last: pageLink(Math.max(0, page.page.totalPages - 1)),
        },
        page: page.page,
      });
    },
  },
  {
    method: 'POST',
    pattern: '/v2/content/hubs/:hubId/webhooks',
    handler: async ({ params, request, links }) => {
      const body = (await readJsonBody(request)) as TWebhookInput;
      return hal(webhookResource(await createWebhook(params.hubId as string, body), links), 201);
    },
  },
  {
    method: 'GET',
    pattern: '/v2/content/hubs/:hubId/webhooks/event-types',
    handler: async ({ params, links }) => {
      await getHub(params.hubId as string);
      return hal({
        _embedded: { 'event-types': EVENT_CATALOG.map(eventTypeResource) },
        _links: { self: { href: `${links.webhooks(params.hubId as string)}/event-types` } },
      });
    },
  },
  {
    method: 'GET',
    pattern: '/v2/content/hubs/:hubId/webhooks/:id',
    handler: async ({ params, links }) =>
      hal(webhookResource(await getWebhook(params.hubId as string, params.id as string), links)),
  },
  {
    method: 'PATCH',
    pattern: '/v2/content/hubs/:hubId/webhooks/:id',
    handler: async ({ params, request, links }) => {
      const body = (await readJsonBody(request)) as TWebhookPatch;
      return hal(webhookResource(await updateWebhook(params.hubId as string, params.id as string, body), links));
    },
  },
  {
    method: 'DELETE',
    pattern: '/v2/content/hubs/:hubId/webhooks/:id',
    handler: async ({ params }) => {
      await deleteWebhook(params.hubId as string, params.id as string);
      return noContent();
    },
  },
  {
    method: 'GET',
    pattern: '/v2/content/hubs/:hubId/webhooks/:id/requests',
    handler: async ({ params, url, links }) => {
      const hubId = params.hubId as string;
      const webhookId = params.id as string;
      const page = await listDeliveries(hubId, webhookId, query(url));
      const base = links.requests(hubId, webhookId);
      const limit = url.searchParams.get('limit');
      const next = page.nextCursor
        ? `${base}?cursor=${page.nextCursor}${limit ? `&limit=${limit}` : ''}${
            url.searchParams.get('excludeStatus') ? `&excludeStatus=${url.searchParams.get('excludeStatus')}` : ''
          }`
        : null;
      return hal({
        _embedded: { requests: page.items.map((delivery) => requestResource(delivery, links)) },
        _links: { self: { href: `${base}${url.search}` }, ...(next ? { next: { href: next } } : {}) },
        cursor: { next: page.nextCursor },
      });
    },
  },
  {
    method: 'GET',
    pattern: '/v2/content/hubs/:hubId/webhooks/:id/requests/:requestId',
    handler: async ({ params, links }) =>
      hal(
        requestResource(
          await getDelivery(params.hubId as string, params.id as string, params.requestId as string),
          links,
        ),
      ),
  },
  {
    method: 'POST',
    pattern: '/v2/content/hubs/:hubId/webhooks/:id/requests/:requestId/redeliver',
    handler: async ({ params, links }) => {
      const [hubId, webhookId, requestId] = [params.hubId, params.id, params.requestId] as [string, string, string];
      await redeliver(hubId, webhookId, requestId);
      return hal(requestResource(await getDelivery(hubId, webhookId, requestId), links), 202);
    },
  },
  {
    method: 'POST',
    pattern: '/v2/content/hubs/:hubId/events',
    handler: async ({ params, request }) => {
      const hubId = params.hubId as string;
      const emitted = await emitEvent(hubId, (await readJsonBody(request)) as TEmitEventInput);
      return json(
        {
          id: emitted.id,
          sequenceId: emitted.sequenceId,
          deliveries: emitted.deliveries.map(({ id, webhookId, status }) => ({ id, webhookId, status })),
        },
        202,
      );
    },
  },
];
