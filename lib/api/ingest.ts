import { createHash } from 'node:crypto';
import { database } from '../db/client';
import { emitEvent, emitEvents } from '../events/emit-event';
import { requestAnswer } from '../idempotency/answer';
import { findStoredAnswer, isKeyTaken, type StoredAnswer } from '../idempotency/stored-answer';
import type { IdempotencyScope, KeyToStore } from '../idempotency/types';
import type { ApiAnswer } from './api-request';
import { HttpError, json } from './http';
import { IDEMPOTENCY_KEY_HEADER } from './idempotency-header';
import { parseJsonBody } from './json-body';
import type { RequestContext } from './route-types';

/**
 * Event ingestion's answers (the routes in lib/api/routes.ts): 202 only once the events are
 * committed. The pipeline has checked the token, the hub and the Idempotency-Key, and read the
 * body under its limit, before any of this runs.
 */

/** Largest `events:batch` body: 500 events of a few KB each, with room to spare. */
export const MAX_BATCH_BODY_BYTES = 4 * 1024 * 1024;

export interface IngestRequest {
  hubId: string;
  /** The API client the bearer token names: an Idempotency-Key is that client's own. */
  clientId: string;
  /** `events:batch` (`{ events: [...] }`) rather than one event. */
  batch: boolean;
  /** The request body's exact bytes, read under its limit. */
  body: Buffer;
  /** The Idempotency-Key header, already checked (idempotencyKeyOf). */
  idempotencyKey: string | undefined;
  /** The trace context the emit continues (lib/tracing/spans.ts: RequestTrace.parent). */
  traceparent?: string;
}

/**
 * `POST …/events` (`{ name, payload, requestId? }` → `{ id, sequenceId, deliveries }`) and
 * `POST …/events:batch` (`{ events: [...] }`, all or nothing → `{ events: [...] }` in order): the
 * 202's body, to serialise as it is. Without an Idempotency-Key this is the plain emit; with one,
 * see ingestOnce (a repeated answer comes back as the database parsed it, hence `unknown`).
 */
export async function ingest(request: IngestRequest): Promise<unknown> {
  if (request.idempotencyKey === undefined) return emitAndAnswer(request, undefined);
  return ingestOnce(request, request.idempotencyKey);
}

/** Parses and emits the body; `idempotencyKey` is stored in the emit's commit. */
async function emitAndAnswer(request: IngestRequest, idempotencyKey: KeyToStore | undefined): Promise<unknown> {
  const body = parseJsonBody(request.body.toString('utf8'));
  const options = { idempotencyKey, traceparent: request.traceparent };
  // Built as the stored answer is (requestAnswer), so a replay repeats it byte for byte.
  if (request.batch) return requestAnswer(await emitEvents(request.hubId, body, options), true);
  return requestAnswer([await emitEvent(request.hubId, body, options)], false);
}

/** The 202 of `POST …/events` or `…/events:batch`. */
export async function ingestAnswer(hubId: string, context: RequestContext, batch: boolean): Promise<ApiAnswer> {
  const { clientId, body, idempotencyKey } = context;
  const traceparent = context.request.trace.parent;
  return json(await ingest({ hubId, clientId, batch, body, idempotencyKey, traceparent }), 202);
}

/** Requests of this process with a key, by scope, until they are answered. */
const running = new Map<string, Promise<void>>();

/**
 * A request with an Idempotency-Key. A second request with the key while the first is running
 * waits for it: in this process behind `running`; on another web server at the database, where
 * the hub's lock orders the two emits and the key's primary key fails the later one. The emit is
 * tried with the key stored in its commit; when the key is stored already, its primary key fails
 * the emit, which writes nothing, and the request is answered from what the key stored: the first
 * answer when the body is the same (nothing new is created), 422 when it is not. So the first
 * request with a key, by far the most common, costs no lookup, only the key's insert in the emit.
 */
async function ingestOnce(request: IngestRequest, key: string): Promise<unknown> {
  const scope: IdempotencyScope = { hubId: request.hubId, clientId: request.clientId, key };
  const scopeId = `${scope.hubId}\u0000${scope.clientId}\u0000${key}`;
  for (let first = running.get(scopeId); first; first = running.get(scopeId)) await first;
  let done = () => {};
  running.set(
    scopeId,
    new Promise<void>((resolve) => {
      done = resolve;
    }),
  );
  try {
    const bodyHash = createHash('sha256').update(request.body).digest();
    try {
      return await emitAndAnswer(request, { clientId: request.clientId, key, bodyHash });
    } catch (error) {
      if (!isKeyTaken(error)) throw error;
      const taken = await findStoredAnswer(database().pool, scope);
      if (taken) return replay(taken, bodyHash);
      // Stored and gone again before it could be read (pruned meanwhile, at the end of its retention).
      throw new HttpError(
        409,
        'IDEMPOTENCY_KEY_IN_PROGRESS',
        `another request with this ${IDEMPOTENCY_KEY_HEADER} was being handled at the same time; send this one again`,
        IDEMPOTENCY_KEY_HEADER,
        { 'Retry-After': '1' },
      );
    }
  } finally {
    running.delete(scopeId);
    done();
  }
}

function replay(stored: StoredAnswer, bodyHash: Buffer): unknown {
  if (!stored.bodyHash.equals(bodyHash)) {
    throw new HttpError(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      `this ${IDEMPOTENCY_KEY_HEADER} was used with another request body on this hub; a new request needs a new key`,
      IDEMPOTENCY_KEY_HEADER,
    );
  }
  return stored.answer;
}
