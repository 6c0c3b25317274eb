import { env } from '../config/env';
import { logger } from '../logger';
import { requireClient, tokenEndpoint } from './authenticate';
import { apiError, errorResponse } from './http';
import { Links, requestOrigin } from './links';
import { ROUTES } from './routes';

export interface ApiContext {
  request: Request;
  url: URL;
  params: Record<string, string>;
  links: Links;
  clientId: string;
}

export type RouteHandler = (context: ApiContext) => Promise<Response>;

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  pattern: string;
  handler: RouteHandler;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.pattern
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { ...route, regex: new RegExp(`^${source}/?$`), names };
}

const COMPILED = ROUTES.map(compile);
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
    const matches = COMPILED.map((route) => ({ route, match: route.regex.exec(path) })).filter(
      (candidate): candidate is { route: CompiledRoute; match: RegExpExecArray } => candidate.match !== null,
    );
    if (matches.length === 0) return apiError(404, 'NOT_FOUND', `no such resource: ${path}`);
    const found = matches.find(({ route }) => route.method === request.method);
    if (!found) {
      const allowed = [...new Set(matches.map(({ route }) => route.method))].join(', ');
      const response = apiError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed here; use ${allowed}`);
      response.headers.set('Allow', allowed);
      return response;
    }
    const clientId = await requireClient(request);
    const params = Object.fromEntries(
      found.route.names.map((name, index) => [name, decodeURIComponent(found.match[index + 1] ?? '')]),
    );
    const links = new Links(requestOrigin(request, env().HERALD_TRUST_PROXY));
    return await found.route.handler({ request, url, params, links, clientId });
  } catch (error) {
    return errorResponse(error, (message) => log().error(message));
  }
}
