import { tokenEndpoint, ZTokenRequest } from './authenticate';
import { healthAnswer } from './health';
import { TOKEN_PATH } from './openapi';
import type { RouteDoc } from './route-doc';
import { WIRE } from './route-helpers';
import { type PublicRoute, publicRoute } from './route-types';

const tokenDoc = (operationId: string, summary: string): RouteDoc => ({
  operationId,
  tag: 'OAuth',
  summary,
  description:
    "An API client's credentials (Settings → API clients) for a bearer token: in the form body, or in an " +
    'Authorization: Basic header (RFC 6749 §2.3.1); a JSON body is accepted too. `scope` asks for some of ' +
    "the client's scopes; without it the token holds all of them.",
  body: {
    name: 'TokenRequest',
    schema: ZTokenRequest,
    contentTypes: ['application/x-www-form-urlencoded', 'application/json'],
  },
  success: { status: 200, description: 'A bearer token', body: WIRE.token },
  oauthErrors: true,
  errors: {
    400: 'A field is missing or wrong (invalid_request), the grant is not client_credentials (unsupported_grant_type), or a scope is unknown or beyond the client’s (invalid_scope)',
    401: 'Unknown client or wrong secret (invalid_client)',
    413: 'The body is over 8 KB (invalid_request)',
  },
});

/** The routes answered without a bearer token (lib/api/route-types.ts's PublicRoute), the OpenAPI document's aside. */
export const PUBLIC_ROUTES: PublicRoute[] = [
  publicRoute('POST', TOKEN_PATH, tokenDoc('requestToken', 'Get a bearer token (client credentials)'), tokenEndpoint),
  // Where the Management API's SDK asks for its token: the same endpoint under the API's base.
  publicRoute(
    'POST',
    `/v2/content${TOKEN_PATH}`,
    tokenDoc('requestTokenAtApiBase', 'Get a bearer token, under the API’s base path (for the Management API SDK)'),
    tokenEndpoint,
  ),
  publicRoute(
    'GET',
    '/healthz',
    {
      operationId: 'health',
      tag: 'Meta',
      summary: 'Is Herald up?',
      description:
        'For load balancers and orchestrators, without a token: 200 while a writable database answers, ' +
        'else 503 with Retry-After.',
      success: { status: 200, description: 'Up', body: WIRE.health },
      otherAnswers: [
        { status: 503, description: 'No writable database: try again after Retry-After', body: WIRE.health },
      ],
    },
    healthAnswer,
  ),
];
