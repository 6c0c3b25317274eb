import { env } from '../config/env';
import { auditLogRoute } from './audit-log-route';
import { contentDeliveryRoute } from './content-delivery';
import { EVENT_ROUTES } from './event-routes';
import { json } from './http';
import { HUB_ROUTES } from './hub-routes';
import { requestOrigin } from './links';
import { OPENAPI_PATH, openApiDocument } from './openapi';
import { PUBLIC_ROUTES } from './public-routes';
import { REQUEST_ROUTES } from './request-routes';
import { WIRE } from './route-helpers';
import { publicRoute, type Route } from './route-types';
import { WEBHOOK_ROUTES } from './webhook-routes';

/**
 * The HTTP API, every route of it: the router (lib/api/router.ts) answers from this table and the
 * OpenAPI document is generated from it, so what is served and what is documented are one list.
 */
export const ROUTES: Route[] = [
  ...PUBLIC_ROUTES,
  // No token: the document holds no data, and a client generator must be able to read it.
  publicRoute(
    'GET',
    OPENAPI_PATH,
    {
      operationId: 'getOpenApiDocument',
      tag: 'Meta',
      summary: 'This OpenAPI 3.1 document',
      description: 'Generated from the route table and the zod schemas the routes validate with.',
      success: { status: 200, description: 'The document', body: WIRE.openApi },
    },
    async (request) => json(openApiDocument(ROUTES, requestOrigin(request, env().HERALD_TRUST_PROXY))),
  ),
  ...HUB_ROUTES,
  ...WEBHOOK_ROUTES,
  ...REQUEST_ROUTES,
  ...EVENT_ROUTES,
  auditLogRoute,
  contentDeliveryRoute,
];
