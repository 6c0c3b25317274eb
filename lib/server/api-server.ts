import type http from 'node:http';
import { databaseUnavailable } from '../api/http';
import { handleApiRequest } from '../api/router';
import { env } from '../config/env';
import { databaseHealth } from '../db/health';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../db/unavailable';
import { logger } from '../logger';
import { HERALD_VERSION } from '../version';
import { handleIngest, ingestTarget } from './ingest-route';
import { sendWebResponse, webRequestOf } from './node-request';
import { SECURITY_HEADERS } from './security-headers';

/**
 * The API's side of Herald's web server. Requests for the Management API, ingestion, tokens, the
 * content delivery API and the health check never reach Next.js: its request pipeline (routing,
 * middleware, the route-handler runtime) cost more than the work itself on the ingestion path.
 * Everything else (the admin UI and its assets) goes to Next.js in the same process and port.
 */
const API_PREFIXES = ['/v2/', '/oauth/', '/content/'];

/** Whether Herald's own API handler answers this request target (path and query). */
export function isApiTarget(target: string): boolean {
  const end = target.indexOf('?');
  const path = end === -1 ? target : target.slice(0, end);
  return path === '/healthz' || path === '/v2' || API_PREFIXES.some((prefix) => path.startsWith(prefix));
}

const log = () => logger('api');

async function health(response: http.ServerResponse): Promise<void> {
  const database = await databaseHealth();
  const body = JSON.stringify({
    status: database.ok ? 'ok' : 'unavailable',
    version: HERALD_VERSION,
    database: database.ok ? 'ok' : 'unreachable',
  });
  response.writeHead(database.ok ? 200 : 503, {
    ...SECURITY_HEADERS,
    ...(database.ok ? {} : { 'Retry-After': String(RETRY_AFTER_SECONDS) }),
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'Content-Length': String(Buffer.byteLength(body)),
  });
  response.end(body);
}

/**
 * Answers one API request; never rejects (a failure is logged and answered with a 500, or with a
 * 503 and Retry-After when the database is unavailable).
 */
export async function handleApiNodeRequest(request: http.IncomingMessage, response: http.ServerResponse) {
  try {
    const target = request.url ?? '/';
    if (target === '/healthz' || target.startsWith('/healthz?')) {
      await health(response);
      return;
    }
    const ingest = ingestTarget(request);
    if (ingest) {
      await handleIngest(request, response, ingest);
      return;
    }
    await sendWebResponse(
      await handleApiRequest(webRequestOf(request, env().HERALD_HTTP_REQUEST_TIMEOUT)),
      response,
      SECURITY_HEADERS,
    );
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      if (!response.headersSent)
        await sendWebResponse(
          databaseUnavailable((message) => log().warn(message), error),
          response,
          SECURITY_HEADERS,
        );
      else response.end();
      return;
    }
    log().error(`request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (!response.headersSent) response.writeHead(500, SECURITY_HEADERS);
    response.end();
  }
}
