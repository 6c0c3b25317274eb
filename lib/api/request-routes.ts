import type { z } from 'zod';
import { getDelivery, listDeliveries, ZDeliveryQuery } from '../activity-log/read-deliveries';
import { recoverFailed, WebhookOffError, ZRecoverWindow } from '../activity-log/recover';
import { redeliver } from '../activity-log/redeliver';
import { apiAuditContext } from './audit-log-route';
import { apiError, hal, json } from './http';
import { requestResource } from './resources';
import { jsonOf, queryOf, WIRE, withJsonBody } from './route-helpers';
import { type BearerRoute, route } from './route-types';
import type { ZRecoverAnswer, ZRequestList } from './wire-resources';

const WEBHOOK = '/v2/content/hubs/:hubId/webhooks/:id';
const REQUEST = `${WEBHOOK}/requests/:requestId` as const;

/** A webhook's deliveries (its activity log, "requests" in the Management API's words), redeliver and recover. */
export const REQUEST_ROUTES: BearerRoute[] = [
  route(
    'GET',
    `${WEBHOOK}/requests`,
    {
      scope: 'webhooks:read',
      doc: {
        operationId: 'listRequests',
        tag: 'Requests',
        summary: "List a webhook's deliveries",
        description:
          'Newest first, cursor-paged: follow `_links.next` (or pass `cursor.next` as `cursor`). ' +
          '`status` and `excludeStatus` take statuses separated by commas.',
        query: ZDeliveryQuery,
        success: { status: 200, description: 'A page of deliveries', body: WIRE.requestList },
      },
    },
    async ({ params: { hubId, id }, url, links }) => {
      const page = await listDeliveries(hubId, id, queryOf(url));
      const base = links.requests(hubId, id);
      const next = new URLSearchParams();
      if (page.nextCursor) next.set('cursor', page.nextCursor);
      for (const name of ['limit', 'excludeStatus']) {
        const value = url.searchParams.get(name);
        if (value) next.set(name, value);
      }
      const body: z.output<typeof ZRequestList> = {
        _embedded: { requests: page.items.map((delivery) => requestResource(delivery, links)) },
        _links: {
          self: { href: `${base}${url.search}` },
          ...(page.nextCursor ? { next: { href: `${base}?${next}` } } : {}),
        },
        cursor: { next: page.nextCursor },
      };
      return hal(body);
    },
  ),

  route(
    'GET',
    REQUEST,
    {
      scope: 'webhooks:read',
      doc: {
        operationId: 'getRequest',
        tag: 'Requests',
        summary: 'Get a delivery, with its attempts',
        success: { status: 200, description: 'The delivery', body: WIRE.request },
      },
    },
    async ({ params, links }) =>
      hal(requestResource(await getDelivery(params.hubId, params.id, params.requestId), links)),
  ),

  route(
    'POST',
    `${REQUEST}/redeliver`,
    {
      scope: 'webhooks:write',
      doc: {
        operationId: 'redeliverRequest',
        tag: 'Requests',
        summary: 'Send a delivery again',
        description:
          'Starts a new attempt chain (a filtered delivery included), with the retry schedule from the start; ' +
          'a request already rendered is sent again as it was.',
        success: { status: 202, description: 'The delivery, queued again', body: WIRE.request },
        errors: { 409: 'The delivery is being sent right now (CONFLICT): redeliver it once that attempt ends' },
      },
    },
    async (context) => {
      const {
        params: { hubId, id, requestId },
        links,
      } = context;
      await redeliver(hubId, id, requestId, await apiAuditContext(context));
      return hal(requestResource(await getDelivery(hubId, id, requestId), links), 202);
    },
  ),

  // Svix-style recovery: every FAILED delivery in the window starts a new attempt chain.
  route(
    'POST',
    `${WEBHOOK}/recover`,
    withJsonBody('webhooks:write', {
      operationId: 'recoverWebhook',
      tag: 'Requests',
      summary: 'Send the failed deliveries of a time window again',
      description: 'Every FAILED delivery of an event created in [since, until) starts a new attempt chain.',
      body: { name: 'RecoverWindow', schema: ZRecoverWindow },
      success: { status: 202, description: 'How many deliveries were queued again', body: WIRE.recover },
      errors: { 409: 'The webhook is turned off (CONFLICT): turn it on first, or they fail again at once' },
    }),
    async (context) => {
      const { hubId, id } = context.params;
      try {
        const window = jsonOf(context);
        const body: z.output<typeof ZRecoverAnswer> = {
          count: await recoverFailed(hubId, id, window, await apiAuditContext(context)),
        };
        return json(body, 202);
      } catch (error) {
        if (error instanceof WebhookOffError) return apiError(409, 'CONFLICT', error.message);
        throw error;
      }
    },
  ),
];
