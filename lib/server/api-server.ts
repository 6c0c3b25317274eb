import type http from 'node:http';
import type { ApiAnswer, ApiRequest } from '../api/api-request';
import { healthAnswer } from '../api/health';
import { answerApiRequest } from '../api/router';
import { env } from '../config/env';
import { logger } from '../logger';
import { type RequestTrace, startRequestTrace } from '../tracing/spans';
import { readNodeBody } from './node-body';
import { SECURITY_HEADERS } from './security-headers';

/**
 * Why Herald has a web server of its own (scripts/web-server.ts) instead of `next start`, in one
 * sentence: Herald must own the socket. Only the socket knows who is asking (`next start` passes
 * on any X-Forwarded-For a client sends, and the sign-in limits count by address), only the socket
 * can bound a request (header and body deadlines, a cap on connections: lib/server/http-server.ts),
 * and only at the socket can the API read a body under its limit once the request is authorized,
 * without Next.js's per-request pipeline (routing, middleware, web Request and Response objects),
 * which cost more than ingesting an event. So the HTTP API has one door, here: /v2, /oauth,
 * /content and /healthz are answered by lib/api's one pipeline (lib/api/router.ts) and never reach
 * Next.js, which serves the admin UI on the same port. app/ holds no API route.
 */
const API_PREFIXES = ['/v2/', '/oauth/', '/content/'];

/** Whether Herald's own API handler answers this request target (path and query). */
export function isApiTarget(target: string): boolean {
  const end = target.indexOf('?');
  const path = end === -1 ? target : target.slice(0, end);
  return path === '/healthz' || path === '/v2' || API_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/**
 * `/healthz` answers whatever the method (a load balancer's check may not send GET), before any
 * routing; the route table documents it as GET (lib/api/routes.ts).
 */
const isHealthTarget = (target: string) => target === '/healthz' || target.startsWith('/healthz?');

/** The pipeline's view of a node:http request: its headers as node parsed them, its body left on the socket until read. */
function apiRequestOf(request: http.IncomingMessage, trace: RequestTrace): ApiRequest {
  return {
    method: request.method ?? 'GET',
    target: request.url ?? '/',
    headers: request.headers,
    readBody: (limitBytes) => readNodeBody(request, limitBytes, env().HERALD_HTTP_REQUEST_TIMEOUT),
    trace,
  };
}

function send(answer: ApiAnswer, response: http.ServerResponse): void {
  const headers: Record<string, string> = { ...SECURITY_HEADERS, ...answer.headers };
  if (answer.body !== null) headers['Content-Length'] = String(Buffer.byteLength(answer.body));
  response.writeHead(answer.status, headers);
  response.end(answer.body ?? undefined);
}

/**
 * Answers one API request; never rejects. The pipeline turns every failure into an answer (a 503
 * with Retry-After when the database is unavailable); what is left is a failure to write it.
 */
export async function handleApiNodeRequest(request: http.IncomingMessage, response: http.ServerResponse) {
  try {
    const target = request.url ?? '/';
    // Health checks come every few seconds from every load balancer: no span for them.
    if (isHealthTarget(target)) return send(await healthAnswer(), response);
    const trace = startRequestTrace(request.method ?? 'GET', target, request.headers);
    const answer = await answerApiRequest(apiRequestOf(request, trace));
    trace.end(answer.status);
    send(answer, response);
  } catch (error) {
    logger('api').error(`request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (!response.headersSent) response.writeHead(500, SECURITY_HEADERS);
    response.end();
  }
}
