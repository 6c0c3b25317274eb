import { isIP } from 'node:net';

/**
 * The address a request came from, for the sign-in limits. `next start` keeps whatever
 * X-Forwarded-For a client sends and only fills it in when absent, so Herald's web server
 * (scripts/web-server.ts) works the address out from the socket itself and hands it to the app in
 * a header of its own, after removing any copy the client sent. X-Forwarded-For counts only with
 * HERALD_TRUST_PROXY=true, and then only its last entry: the one the proxy in front of Herald added.
 * The same setting decides whether X-Forwarded-Host and X-Forwarded-Proto count (else dropped).
 */

export const CLIENT_ADDRESS_HEADER = 'x-herald-client-address';

/**
 * Headers a client could use to claim another address, host or scheme; dropped unless a proxy is
 * trusted. Without them, the API's links (lib/api/links.ts) and Next.js (its server actions'
 * origin check, redirects) see the Host the client connected to and the socket's own scheme.
 */
export const FORWARDING_HEADERS = [
  'x-forwarded-for',
  'x-real-ip',
  'forwarded',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
];

// Shared by the web server and the app bundle, which hold separate copies of this module.
const STAMPED = Symbol.for('herald.clientAddressStamped');

function normalize(address: string): string | undefined {
  const trimmed = address.trim().replace(/^\[(.*)\]$/, '$1');
  const plain =
    trimmed.toLowerCase().startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
  return isIP(plain) ? plain : undefined;
}

export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy && forwardedFor) {
    const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
    const last = normalize(entries[entries.length - 1] ?? '');
    if (last) return last;
  }
  return (socketAddress && normalize(socketAddress)) || 'unknown';
}

interface IncomingLike {
  headers: Record<string, string | string[] | undefined>;
  socket: { remoteAddress?: string | undefined };
}

/** Called by the web server for every request before Next.js sees it. */
export function stampClientAddress(request: IncomingLike, trustProxy: boolean): void {
  const address = resolveClientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], trustProxy);
  if (!trustProxy) for (const name of FORWARDING_HEADERS) delete request.headers[name];
  request.headers[CLIENT_ADDRESS_HEADER] = address;
  (globalThis as Record<symbol, unknown>)[STAMPED] = true;
}

/**
 * The client's address for a request the app is handling. Without Herald's web server in front
 * (plain `next start`, `next dev`) nothing can be trusted, and every client shares one limit.
 */
export function clientAddressFrom(headers: { get(name: string): string | null }): string {
  if ((globalThis as Record<symbol, unknown>)[STAMPED] !== true) return 'unknown';
  return headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown';
}
