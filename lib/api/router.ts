import type { TokenGrant } from '../auth/access-tokens';
import { env } from '../config/env';
import { logger } from '../logger';
import { type ApiAnswer, type ApiRequest, headerOf } from './api-request';
import { requireBearer } from './authenticate';
import { apiError, errorAnswer, withHeaders } from './http';
import { idempotencyKeyOf } from './idempotency-header';
import { Links, requestOrigin } from './links';
import type { ApiContext, Route } from './route-types';
import { ROUTES } from './routes';

const log = () => logger('api');

const pathOf = (target: string) => {
  const end = target.indexOf('?');
  return (end === -1 ? target : target.slice(0, end)).replace(/\/+$/, '') || '/';
};

/** The route for this method and path, or the answer that there is none (404, or 405 naming the methods allowed). */
function findRoute(method: string, path: string): { route: Route; match: RegExpExecArray } | ApiAnswer {
  const allowed = new Set<string>();
  for (const route of ROUTES) {
    const match = route.regex.exec(path);
    if (!match) continue;
    if (route.method === method) return { route, match };
    allowed.add(route.method);
  }
  if (allowed.size === 0) return apiError(404, 'NOT_FOUND', `no such resource: ${path}`);
  const methods = [...allowed].join(', ');
  return withHeaders(apiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here; use ${methods}`), {
    Allow: methods,
  });
}

/**
 * The whole HTTP API, one pipeline for every route, event ingestion included, in this order:
 * route (404/405) → bearer token (401) → the route's scope (403) → its path parameters and the
 * hubs the token may reach (400/404) → the Idempotency-Key, where the route honours one (400) →
 * the body, read under the route's limit (413/408) → the handler. Nothing is read from the body
 * before the request is authorized, and a route that takes no body reads none. The public routes
 * take no bearer: the token endpoint, whose credentials are its body (lib/api/authenticate.ts),
 * and the OpenAPI document. Never rejects: every failure is an answer (errorAnswer).
 */
export async function answerApiRequest(request: ApiRequest): Promise<ApiAnswer> {
  const path = pathOf(request.target);
  try {
    const found = findRoute(request.method, path);
    if (!('route' in found)) return found;
    const { route, match } = found;
    request.trace.route(route.pattern);
    if (route.access === 'public') return await route.answer(request);
    const grant = await requireBearer(headerOf(request, 'authorization'));
    const params = route.authorize(grant, match);
    const idempotencyKey = route.idempotencyKey ? idempotencyKeyOf(request.headers['idempotency-key']) : undefined;
    const body = route.bodyLimitBytes === null ? EMPTY : await request.readBody(route.bodyLimitBytes);
    return await route.handle(context(request, grant, params, body, idempotencyKey));
  } catch (error) {
    return errorAnswer(error, (message) => log().error(message));
  }
}

const EMPTY = Buffer.alloc(0);

function context(
  request: ApiRequest,
  grant: TokenGrant,
  params: Readonly<Record<string, string>>,
  body: Buffer,
  idempotencyKey: string | undefined,
): ApiContext {
  let url: URL | undefined;
  let links: Links | undefined;
  return {
    request,
    params,
    clientId: grant.clientId,
    grant,
    body,
    idempotencyKey,
    get url() {
      url ??= new URL(request.target, 'http://herald.invalid');
      return url;
    },
    get links() {
      links ??= new Links(requestOrigin(request, env().HERALD_TRUST_PROXY));
      return links;
    },
  };
}
