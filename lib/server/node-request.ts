import type http from 'node:http';
import { CLIENT_ADDRESS_HEADER } from '../auth/client-address';

/**
 * A request body as a web stream, pulled from the socket only as the handler reads it, so the
 * handlers' size limits (lib/api/body.ts) refuse an oversized or endless body while it arrives.
 */
function streamOf(request: http.IncomingMessage): ReadableStream<Uint8Array> {
  const chunks = request[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
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
  const stamped = request.headers[CLIENT_ADDRESS_HEADER];
  if (typeof stamped === 'string') headers.set(CLIENT_ADDRESS_HEADER, stamped);
  return headers;
}

/** The web `Request` lib/api handles, for a node:http request (origin from the Host header). */
export function webRequestOf(request: http.IncomingMessage): Request {
  const method = request.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const init: RequestInit & { duplex: 'half' } = {
    method,
    headers: headersOf(request),
    body: hasBody ? streamOf(request) : undefined,
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
