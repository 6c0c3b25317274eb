import { OlderVersionError } from '../activity-log/latest-versions';
import { DeliveryInProgressError } from '../activity-log/redeliver';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../db/unavailable';
import { DomainError, errorMessage, NotFoundError, ValidationError } from '../errors';
import { WebhookLimitReachedError } from '../webhooks/create-webhook';
import type { ApiAnswer } from './api-request';
import { BodyTimeoutError, BodyTooLargeError, CLOSE_CONNECTION, RequestClosedError } from './body';

export const HAL_JSON = 'application/hal+json';

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): ApiAnswer {
  return {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function hal(body: unknown, status = 200): ApiAnswer {
  return json(body, status, { 'Content-Type': `${HAL_JSON}; charset=utf-8` });
}

export function noContent(): ApiAnswer {
  return { status: 204, headers: { 'Cache-Control': 'no-store' }, body: null };
}

/** The answer with more headers (a challenge, Retry-After, Connection: close). */
export function withHeaders(answer: ApiAnswer, headers: Readonly<Record<string, string>>): ApiAnswer {
  return { ...answer, headers: { ...answer.headers, ...headers } };
}

export interface ApiErrorEntry {
  level: 'ERROR';
  code: string;
  message: string;
  property?: string;
}

/** Errors in the Management API's shape: `{ errors: [{ level, code, property?, message }] }`. */
export function apiError(status: number, code: string, message: string, property?: string): ApiAnswer {
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

/** Maps an error to an answer; only expected errors show their message. */
export function errorAnswer(error: unknown, log: (message: string) => void): ApiAnswer {
  if (error instanceof HttpError) {
    return withHeaders(apiError(error.status, error.code, error.message, error.property), error.headers);
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
  if (error instanceof BodyTooLargeError)
    return withHeaders(apiError(413, 'PAYLOAD_TOO_LARGE', error.message), CLOSE_CONNECTION);
  if (error instanceof BodyTimeoutError) {
    // The rest of the body may still be trickling in: answer, then drop the connection.
    return withHeaders(apiError(408, 'REQUEST_TIMEOUT', error.message), CLOSE_CONNECTION);
  }
  // Written to a closed connection: an answer for form's sake, and not an error of ours to log.
  if (error instanceof RequestClosedError) return apiError(400, 'REQUEST_CLOSED', error.message);
  if (error instanceof NotFoundError) return apiError(404, 'NOT_FOUND', error.message);
  if (error instanceof DeliveryInProgressError) return apiError(409, 'CONFLICT', error.message);
  if (error instanceof OlderVersionError) return apiError(409, 'SUPERSEDED', error.message);
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
export function databaseUnavailable(log: (message: string) => void, error: unknown): ApiAnswer {
  log(`database unavailable: ${errorMessage(error)}`);
  return withHeaders(
    apiError(503, 'SERVICE_UNAVAILABLE', 'The database is unavailable for a moment; try again shortly'),
    { 'Retry-After': String(RETRY_AFTER_SECONDS) },
  );
}
