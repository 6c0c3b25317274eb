import type { Route } from './route-types';

/**
 * The failures each operation documents: those the pipeline (lib/api/router.ts) answers for a
 * route with its traits (a bearer token, a scope, path parameters, a body), then the route's own.
 * Every one in the API's error shape (components.schemas.Error), the token endpoint's in RFC 6749's.
 */

const ERROR = { $ref: '#/components/schemas/Error' };
const OAUTH_ERROR = { $ref: '#/components/schemas/OAuthError' };

const json = (schema: object) => ({ 'application/json': { schema } });

/** components.responses: the pipeline's failures, shared by every operation that can meet them. */
export const ERROR_RESPONSES = {
  BadRequest: {
    description: 'A parameter, header or the body is invalid; each error names the field (`property`)',
    content: json(ERROR),
  },
  Unauthorized: {
    description: 'No bearer token, or one that is invalid, expired or revoked',
    headers: { 'WWW-Authenticate': { schema: { type: 'string' }, description: 'Bearer realm="herald"' } },
    content: json(ERROR),
  },
  Forbidden: {
    description: 'The token lacks the scope this operation needs (INSUFFICIENT_SCOPE)',
    content: json(ERROR),
  },
  NotFound: {
    description: 'No such resource, or a hub this token may not reach (answered as if it did not exist)',
    content: json(ERROR),
  },
  RequestTimeout: { description: 'The body did not arrive in time; the connection is closed', content: json(ERROR) },
  PayloadTooLarge: { description: "The body is over this operation's limit", content: json(ERROR) },
  ServiceUnavailable: {
    description: 'No writable database for a moment (a failover): send the same request again after Retry-After',
    headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds' } },
    content: json(ERROR),
  },
  InternalError: { description: 'Something went wrong on our side; the error was logged', content: json(ERROR) },
} as const;

type ErrorResponseName = keyof typeof ERROR_RESPONSES;
type ResponseObject = { $ref: string } | { description: string; content: object };

const ref = (name: ErrorResponseName) => ({ $ref: `#/components/responses/${name}` });

/** The failure responses of one operation, by status code. */
export function errorResponses(route: Route): Record<string, ResponseObject> {
  const { doc } = route;
  const own = doc.errors ?? {};
  const responses: Record<string, ResponseObject> = {};
  const add = (status: number, response: ResponseObject) => {
    responses[String(status)] = response;
  };
  if (doc.oauthErrors) {
    for (const [status, description] of Object.entries(own))
      add(Number(status), { description, content: json(OAUTH_ERROR) });
  } else {
    const hasParams = route.pattern.includes('/:');
    if (doc.query || doc.body || hasParams || (route.access === 'bearer' && route.idempotencyKey)) {
      add(400, ref('BadRequest'));
    }
    if (route.access === 'bearer') {
      add(401, ref('Unauthorized'));
      if (route.scope !== null) add(403, ref('Forbidden'));
    }
    if (hasParams) add(404, ref('NotFound'));
    for (const [status, description] of Object.entries(own) as [string, string][]) {
      add(Number(status), { description, content: json(ERROR) });
    }
  }
  if (route.access === 'bearer' ? route.bodyLimitBytes !== null : doc.body !== undefined) {
    add(408, ref('RequestTimeout'));
    if (!doc.oauthErrors) add(413, ref('PayloadTooLarge'));
  }
  if (route.access === 'bearer' || doc.oauthErrors) add(503, ref('ServiceUnavailable'));
  add(500, ref('InternalError'));
  return responses;
}
