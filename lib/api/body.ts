/** The request declared or sent more than its limit. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`body may be at most ${describeBytes(limitBytes)}`);
  }
}

/**
 * The connection closed before the request's body had arrived (the client went away, or the web
 * server cut it off at HERALD_HTTP_REQUEST_TIMEOUT): nobody is left to answer, nothing to log.
 */
export class RequestClosedError extends Error {
  override name = 'RequestClosedError';
  constructor() {
    super('the connection closed before the body arrived');
  }
}

/** The body did not arrive within the request's deadline (HERALD_HTTP_REQUEST_TIMEOUT). */
export class BodyTimeoutError extends Error {
  override name = 'BodyTimeoutError';
  constructor(readonly deadlineMs: number) {
    super(`the request body did not arrive within ${describeMs(deadlineMs)}`);
  }
}

function describeMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/** For a refusal sent before the body was read to its end: nothing more is read from that connection. */
export const CLOSE_CONNECTION = { Connection: 'close' } as const;
