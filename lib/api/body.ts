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

/**
 * The body's bytes, read as they stream in and refused as soon as they pass `limitBytes`: a
 * declared Content-Length over the limit is refused before reading anything, and a chunked body
 * is never held beyond the limit. On refusal the rest is left unread (not cancelled: cancelling
 * the stream tears the connection down before the 413 can be sent); the refusal carries
 * CLOSE_CONNECTION so the server drops the connection, and the rest, once it has answered.
 */
export async function readBodyCapped(request: Request, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limitBytes) throw new BodyTooLargeError(limitBytes);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limitBytes) throw new BodyTooLargeError(limitBytes);
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return Buffer.concat(chunks, size);
}

/** For a refusal sent before the body was read to its end: nothing more is read from that connection. */
export const CLOSE_CONNECTION = { Connection: 'close' } as const;
