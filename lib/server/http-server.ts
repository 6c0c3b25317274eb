import http from 'node:http';
import { stampClientAddress } from '../auth/client-address';
import { env, type HeraldEnv } from '../config/env';

/**
 * Herald's web server socket limits, so a client cannot hold connections open for free: headers
 * that never end, a body that trickles a byte at a time, or simply many connections. node:http's
 * own defaults (60 s for headers, 5 minutes for a request, checked every 30 s, no cap on
 * connections) let one client keep hundreds of sockets for minutes.
 */
export interface HttpServerSettings {
  /** The request's headers must have arrived this long after it started. */
  headersTimeoutMs: number;
  /** The whole request, body included; the API's body reader holds the same deadline. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections past this many open ones are closed as soon as they are accepted. */
  maxConnections: number;
  /** X-Forwarded-* headers count only when a proxy in front of Herald is trusted. */
  trustProxy: boolean;
}

export function httpServerSettings(config: HeraldEnv = env()): HttpServerSettings {
  return {
    headersTimeoutMs: config.HERALD_HTTP_HEADERS_TIMEOUT,
    requestTimeoutMs: config.HERALD_HTTP_REQUEST_TIMEOUT,
    keepAliveTimeoutMs: config.HERALD_HTTP_KEEP_ALIVE_TIMEOUT,
    maxConnections: config.HERALD_MAX_CONNECTIONS,
    trustProxy: config.HERALD_TRUST_PROXY,
  };
}

/**
 * node:http looks for expired requests only this often (30 s by default, which would double a
 * 30 s timeout): once a second, or more often for the short timeouts tests use.
 */
function checkingIntervalMs(settings: HttpServerSettings): number {
  return Math.max(50, Math.min(1000, Math.floor(Math.min(settings.headersTimeoutMs, settings.requestTimeoutMs) / 4)));
}

/**
 * A node:http server with those limits, which stamps every request with its client's address
 * and drops forwarding headers a client may not set (lib/auth/client-address.ts) before `handle`
 * sees it. A request cut off by a timeout gets node's 408 and its connection is closed.
 */
export function createHttpServer(
  handle: (request: http.IncomingMessage, response: http.ServerResponse) => void,
  settings: HttpServerSettings,
): http.Server {
  const server = http.createServer(
    {
      headersTimeout: settings.headersTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      connectionsCheckingInterval: checkingIntervalMs(settings),
    },
    (request, response) => {
      stampClientAddress(request, settings.trustProxy);
      handle(request, response);
    },
  );
  server.maxConnections = settings.maxConnections;
  return server;
}
