import type { RequestTrace } from '../tracing/spans';

/**
 * One API request as the pipeline (lib/api/router.ts) sees it. lib/server builds it straight from
 * node:http, with no web Request around it: the headers are node's (lower-case names, the client
 * address already stamped, forwarding headers a client may not set already dropped, see
 * lib/auth/client-address.ts), and the body stays on the socket until the pipeline reads it, under
 * the route's limit, once the request is authorized.
 */
export interface ApiRequest {
  method: string;
  /** The request target as sent: path and query. */
  target: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * The body's bytes: BodyTooLargeError past `limitBytes` (a declared Content-Length over it is
   * refused before reading), BodyTimeoutError past the request's deadline, RequestClosedError
   * when the client goes away first (lib/api/body.ts).
   */
  readBody(limitBytes: number): Promise<Buffer>;
  /** The request's trace (its server span, with tracing on): what an emit it causes continues. */
  trace: RequestTrace;
}

/** A header's value; node joins most repeated headers already, the rest are joined as fetch does. */
export function headerOf(request: Pick<ApiRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The answer the pipeline gives, for lib/server to write: a body built in memory, or none. */
export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}
