import type { z } from 'zod';
import { getHub, listHubs } from '../hubs/hubs';
import { hal } from './http';
import { hubResource } from './resources';
import { WIRE } from './route-helpers';
import { type BearerRoute, route } from './route-types';
import type { ZHubList } from './wire-resources';

export const HUB_ROUTES: BearerRoute[] = [
  // Hubs are where every client starts (ingestion included): any token lists the hubs it may reach.
  route(
    'GET',
    '/v2/content/hubs',
    {
      scope: null,
      doc: {
        operationId: 'listHubs',
        tag: 'Hubs',
        summary: 'List the hubs this token may reach',
        description: 'Any valid token, whatever its scopes.',
        success: { status: 200, description: 'The hubs, in one page', body: WIRE.hubList },
      },
    },
    async ({ links, grant }) => {
      const hubs = (await listHubs()).filter((hub) => grant.hubIds === null || grant.hubIds.has(hub.id));
      const body: z.output<typeof ZHubList> = {
        _embedded: { hubs: hubs.map((hub) => hubResource(hub, links)) },
        _links: { self: { href: `${links.api}/hubs` } },
        page: { size: hubs.length, totalElements: hubs.length, totalPages: 1, number: 0 },
      };
      return hal(body);
    },
  ),

  route(
    'GET',
    '/v2/content/hubs/:hubId',
    {
      scope: null,
      doc: {
        operationId: 'getHub',
        tag: 'Hubs',
        summary: 'Get a hub',
        success: { status: 200, description: 'The hub', body: WIRE.hub },
      },
    },
    async ({ params, links }) => hal(hubResource(await getHub(params.hubId), links)),
  ),
];
