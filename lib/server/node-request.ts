import type http from 'node:http';
import { BodyTimeoutError, RequestClosedError } from '../api/body';
import { CLIENT_ADDRESS_HEADER, FORWARDING_HEADERS } from '../auth/client-address';

/**
 * A request body as a web stream, pulled from the socket only as the handler reads it, so the
 * handlers' size limits (lib/api/body.ts) refuse an oversized or endless body while it arrives.
 * A body not complete `deadlineMs` after the request reached the handler errors the stream with
 * BodyTimeoutError, which the API answers with a 408 and a closed connection.
 */
function streamOf(request: http.IncomingMessage, deadlineMs: number): ReadableStream<Uint8Array> {
  const chunks = request[Symbol.asyncIterator]();
  let deadline: NodeJS.Timeout | undefined;
  const stop = () => clearTimeout(deadline);
  request.once('close', stop);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      deadline = setTimeout(() => controller.error(new BodyTimeoutError(deadlineMs)), deadlineMs);
      deadline.unref();
    },
    async pull(controller) {
      const next = await chunks.next().catch(() => null);
      if (!next) {
        // 'aborted' and its like: the connection went before the body was complete.
        stop();
        controller.error(new RequestClosedError());
        return;
      }
      const { done, value } = next;
      if (done) {
        stop();
        controller.close();
      } else controller.enqueue(value);
    },
    async cancel() {
      stop();
      await chunks.return?.();
    },
  });
}

function headersOf(request: http.IncomingMessage): Headers {
  const headers = new Headers();
  // rawHeaders keeps repeated headers apart; Headers joins them as fetch does.
  const raw = request.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2)
    headers.append(raw[index] as string, raw[index + 1] as string);
  // rawHeaders is what the client sent: the client address is the one the web server stamped
  // (lib/auth/client-address.ts), never a copy the client sent itself.
  headers.delete(CLIENT_ADDRESS_HEADER);
  // Forwarding headers the web server dropped (no trusted proxy) stay dropped here too.
  for (const name of FORWARDING_HEADERS) if (request.headers[name] === undefined) headers.delete(name);
  const stamped = request.headers[CLIENT_ADDRESS_HEADER];
  if (typeof stamped === 'string') headers.set(CLIENT_ADDRESS_HEADER, stamped);
  return headers;
}

/**
 * The web `Request` lib/api handles, for a node:http request (origin from the Host header); its
 * body must arrive within `bodyDeadlineMs` (HERALD_HTTP_REQUEST_TIMEOUT).
 */
export function webRequestOf(request: http.IncomingMessage, bodyDeadlineMs: number): Request {
  const method = request.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const init: RequestInit & { duplex: 'half' } = {
    method,
    headers: headersOf(request),
    body: hasBody ? streamOf(request, bodyDeadlineMs) : undefined,
    duplex: 'half',
  };
  return new Request(`http://${request.headers.host ?? 'localhost'}${request.url ?? '/'}`, init);
}

/** Writes a web `Response` (whose body lib/api always builds in memory) to a node:http response. */
export async function sendWebResponse(
  response: Response,
  to: http.ServerResponse,
  extraHeaders: Readonly<Record<string, string>>,
): Promise<void> {
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  const headers: Record<string, string> = { ...extraHeaders };
  for (const [name, value] of response.headers) headers[name] = value;
  if (body) headers['content-length'] = String(body.length);
  to.writeHead(response.status, headers);
  to.end(body);
}
