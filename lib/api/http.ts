import { DeliveryInProgressError } from '../activity-log/redeliver';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../db/unavailable';
import { DomainError, NotFoundError, ValidationError } from '../errors';
import { WebhookLimitReachedError } from '../webhooks/create-webhook';
import { BodyTimeoutError, BodyTooLargeError, CLOSE_CONNECTION, RequestClosedError } from './body';

export const HAL_JSON = 'application/hal+json';

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });
}

export function hal(body: unknown, status = 200): Response {
  return json(body, status, { 'Content-Type': `${HAL_JSON}; charset=utf-8` });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
}

export interface ApiErrorEntry {
  level: 'ERROR';
  code: string;
  message: string;
  property?: string;
}

/** Errors in the Management API's shape: `{ errors: [{ level, code, property?, message }] }`. */
export function apiError(status: number, code: string, message: string, property?: string): Response {
  const entry: ApiErrorEntry = { level: 'ERROR', code, message, ...(property ? { property } : {}) };
  return json({ errors: [entry] }, status);
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly property?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Maps an error to a response; only expected errors show their message. */
export function errorResponse(error: unknown, log: (message: string) => void): Response {
  if (error instanceof HttpError) {
    const response = apiError(error.status, error.code, error.message, error.property);
    for (const [key, value] of Object.entries(error.headers)) response.headers.set(key, value);
    return response;
  }
  if (error instanceof ValidationError) {
    return json(
      {
        errors: error.fieldErrors.map((fieldError) => ({
          level: 'ERROR',
          code: 'VALIDATION_ERROR',
          property: fieldError.field,
          message: fieldError.field ? `${fieldError.field}: ${fieldError.message}` : fieldError.message,
        })),
      },
      400,
    );
  }
  if (error instanceof BodyTooLargeError) {
    const response = apiError(413, 'PAYLOAD_TOO_LARGE', error.message);
    for (const [key, value] of Object.entries(CLOSE_CONNECTION)) response.headers.set(key, value);
    return response;
  }
  if (error instanceof BodyTimeoutError) {
    // The rest of the body may still be trickling in: answer, then drop the connection.
    const response = apiError(408, 'REQUEST_TIMEOUT', error.message);
    for (const [key, value] of Object.entries(CLOSE_CONNECTION)) response.headers.set(key, value);
    return response;
  }
  // Written to a closed connection: an answer for form's sake, and not an error of ours to log.
  if (error instanceof RequestClosedError) return apiError(400, 'REQUEST_CLOSED', error.message);
  if (error instanceof NotFoundError) return apiError(404, 'NOT_FOUND', error.message);
  if (error instanceof DeliveryInProgressError) return apiError(409, 'CONFLICT', error.message);
  if (error instanceof WebhookLimitReachedError) return apiError(409, 'WEBHOOK_LIMIT_REACHED', error.message);
  if (error instanceof DomainError) return apiError(400, 'BAD_REQUEST', error.message);
  if (isDatabaseUnavailable(error)) return databaseUnavailable(log, error);
  log(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return apiError(500, 'INTERNAL_ERROR', 'Something went wrong on our side; the error was logged');
}

/**
 * No writable database right now (a failover under way): 503 with Retry-After, so a producer
 * sends the same request again (with its Idempotency-Key) instead of giving up on it. Nothing
 * was committed, or the commit was not confirmed; never a 202 for it, never a 500.
 */
export function databaseUnavailable(log: (message: string) => void, error: unknown): Response {
  log(`database unavailable: ${error instanceof Error ? error.message : String(error)}`);
  const response = apiError(503, 'SERVICE_UNAVAILABLE', 'The database is unavailable for a moment; try again shortly');
  response.headers.set('Retry-After', String(RETRY_AFTER_SECONDS));
  return response;
}
