import net from 'node:net';
import { Agent, buildConnector, errors, request } from 'undici';
import type { PrivateDestinationPolicy } from '../config/env';
import { DestinationRefusedError, guardedLookup, refusalReason } from './destination-guard';

export const RESPONSE_BODY_LIMIT = 64 * 1024;
const RESPONSE_HEADERS_LIMIT = 50;

export interface OutboundRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export type OutboundResult =
  | {
      ok: true;
      status: number;
      headers: Record<string, string>;
      body: string;
      truncated: boolean;
      durationMs: number;
    }
  | { ok: false; error: string; durationMs: number };

/** A keep-alive pool whose every connection passes the destination guard. */
export function createDeliveryAgent(policy: PrivateDestinationPolicy, connections = 64): Agent {
  const connector = buildConnector({ lookup: guardedLookup(policy), timeout: 10_000 } as buildConnector.BuildOptions);
  return new Agent({
    connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    connect: (options, callback) => {
      // net.connect skips the lookup for IP literals, so check those here.
      const host = options.hostname.replace(/^\[|\]$/g, '');
      if (net.isIP(host)) {
        const reason = refusalReason(host, policy);
        if (reason) return callback(new DestinationRefusedError(reason), null);
      }
      connector(options, callback);
    },
  });
}

export async function send(agent: Agent, outbound: OutboundRequest): Promise<OutboundResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(outbound.timeoutMs);
  try {
    const response = await request(outbound.url, {
      dispatcher: agent,
      method: outbound.method as 'POST',
      headers: outbound.headers,
      body: outbound.body,
      signal,
      headersTimeout: outbound.timeoutMs,
      bodyTimeout: outbound.timeoutMs,
    });
    const { text, truncated } = await readCapped(response.body);
    return {
      ok: true,
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      body: text,
      truncated,
      durationMs: elapsed(),
    };
  } catch (error) {
    return { ok: false, error: describeError(error, outbound.timeoutMs), durationMs: elapsed() };
  }
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): void },
): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const room = RESPONSE_BODY_LIMIT - size;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    size += Math.min(chunk.length, room);
    if (chunk.length > room) {
      // The rest is not needed; dropping the connection is cheaper than draining it.
      body.destroy();
      return { text: storable(Buffer.concat(chunks).toString('utf8')), truncated: true };
    }
  }
  return { text: storable(Buffer.concat(chunks).toString('utf8')), truncated: false };
}

/** PostgreSQL text and jsonb cannot hold NUL characters; a receiver may well send them. */
export function storable(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers).slice(0, RESPONSE_HEADERS_LIMIT)) {
    if (value !== undefined)
      out[storable(key)] = storable((Array.isArray(value) ? value.join(', ') : value).slice(0, 2048));
  }
  return out;
}

function describeError(error: unknown, timeoutMs: number): string {
  let current: unknown = error;
  // undici wraps the connect error; the guard's message is the useful one.
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (current instanceof DestinationRefusedError) return current.message;
    current = (current as Error & { cause?: unknown }).cause;
  }
  if (
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError ||
    (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
  ) {
    return `timed out after ${timeoutMs} ms`;
  }
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const cause = (error as Error & { cause?: Error }).cause;
    const detail = cause?.message && cause.message !== error.message ? ` (${cause.message})` : '';
    return storable(`${code ? `${code}: ` : ''}${error.message}${detail}`);
  }
  return String(error);
}
