import { env } from '../config/env';
import { logger } from '../logger';
import { requireClient, tokenEndpoint } from './authenticate';
import { apiError, errorResponse } from './http';
import { Links, requestOrigin } from './links';
import type { Route } from './route-types';
import { ROUTES } from './routes';

const log = () => logger('api');

/**
 * The whole HTTP API as one `Request → Response` function: Next.js route handlers delegate here,
 * and tests serve it from a plain node:http server.
 */
export async function handleApiRequest(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.replace(/\/+$/, '') || '/';
  try {
    if (path === '/oauth/token' || path === '/v2/content/oauth/token') {
      if (request.method !== 'POST') return apiError(405, 'METHOD_NOT_ALLOWED', 'use POST');
      return await tokenEndpoint(request);
    }
    const matches = ROUTES.map((route) => ({ route, match: route.regex.exec(path) })).filter(
      (candidate): candidate is { route: Route; match: RegExpExecArray } => candidate.match !== null,
    );
    if (matches.length === 0) return apiError(404, 'NOT_FOUND', `no such resource: ${path}`);
    const found = matches.find(({ route }) => route.method === request.method);
    if (!found) {
      const allowed = [...new Set(matches.map(({ route }) => route.method))].join(', ');
      const response = apiError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed here; use ${allowed}`);
      response.headers.set('Allow', allowed);
      return response;
    }
    const grant = await requireClient(request);
    const links = new Links(requestOrigin(request, env().HERALD_TRUST_PROXY));
    return await found.route.handle({ request, url, links, clientId: grant.clientId, grant }, found.match);
  } catch (error) {
    return errorResponse(error, (message) => log().error(message));
  }
}
