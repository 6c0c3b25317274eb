import type http from 'node:http';
import { requireBearer } from '../api/authenticate';
import { errorResponse, HttpError } from '../api/http';
import { idempotencyKeyOf } from '../api/idempotency-header';
import { ingest, MAX_BATCH_BODY_BYTES } from '../api/ingest';
import { MAX_API_BODY_BYTES } from '../api/json-body';
import { requireHubAccess, requireScope } from '../api/route-types';
import { env } from '../config/env';
import { logger } from '../logger';
import { RequestClosedError, readNodeBody } from './node-body';
import { sendWebResponse } from './node-request';
import { SECURITY_HEADERS } from './security-headers';

/**
 * `POST /v2/content/hubs/{hubId}/events` and `…/events:batch` straight from node:http: the
 * ingestion hot path skips building a web Request and Response around each call (the rest of the
 * API goes through lib/api/router.ts). Same checks in the same order as the router: token, scope,
 * hub, Idempotency-Key, body; the same answers, built by lib/api/ingest.ts.
 */
const INGEST_PATH = /^\/v2\/content\/hubs\/([^/?#]+)\/(events|events:batch)\/?(?:\?.*)?$/;

export interface IngestTarget {
  hubSegment: string;
  batch: boolean;
}

/** The ingestion route a POST is for, or null (anything else, other methods included, goes to the router). */
export function ingestTarget(request: http.IncomingMessage): IngestTarget | null {
  if (request.method !== 'POST') return null;
  const match = INGEST_PATH.exec(request.url ?? '');
  if (!match?.[1]) return null;
  return { hubSegment: match[1], batch: match[2] === 'events:batch' };
}

const JSON_HEADERS = {
  ...SECURITY_HEADERS,
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
};

export async function handleIngest(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  target: IngestTarget,
): Promise<void> {
  try {
    const grant = await requireBearer(request.headers.authorization);
    requireScope(grant, 'events:write');
    const hubId = decodeHubId(target.hubSegment);
    requireHubAccess(grant, hubId);
    const idempotencyKey = idempotencyKeyOf(request.headers['idempotency-key']);
    const limit = target.batch ? MAX_BATCH_BODY_BYTES : MAX_API_BODY_BYTES;
    const body = await readNodeBody(request, limit, env().HERALD_HTTP_REQUEST_TIMEOUT);
    const answer = JSON.stringify(
      await ingest({ hubId, clientId: grant.clientId, batch: target.batch, body, idempotencyKey }),
    );
    response.writeHead(202, { ...JSON_HEADERS, 'Content-Length': String(Buffer.byteLength(answer)) });
    response.end(answer);
  } catch (error) {
    if (error instanceof RequestClosedError) return;
    const answer = errorResponse(error, (message) => logger('api').error(message));
    await sendWebResponse(answer, response, SECURITY_HEADERS);
  }
}

function decodeHubId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'the hubId in the path has a malformed %-escape', 'hubId');
  }
}
