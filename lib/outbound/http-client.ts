import net from 'node:net';
import { Agent, buildConnector, type Dispatcher, errors } from 'undici';
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

/** The whole exchange ran past its deadline (queueing for a connection and connecting included). */
class DeadlineError extends Error {
  override name = 'TimeoutError';
}

/**
 * One request, its response body read up to RESPONSE_BODY_LIMIT. Straight on undici's dispatcher
 * rather than `request()`: the worker sends every delivery through here, and a response stream,
 * an AbortSignal and an async iterator per request cost more than the send itself. What comes
 * back is as the receiver sent it: the outcome writer makes it storable (lib/outbox/storable.ts).
 */
export function send(agent: Agent, outbound: OutboundRequest): Promise<OutboundResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(outbound.url);
  } catch {
    return Promise.resolve({ ok: false, error: `invalid URL: ${outbound.url}`, durationMs: elapsed() });
  }
  return new Promise((resolve) => {
    let settled = false;
    let controller: Dispatcher.DispatchController | null = null;
    let deadlinePassed: DeadlineError | null = null;
    let status = 0;
    let headers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: OutboundResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const answered = (truncated: boolean): OutboundResult => ({
      ok: true,
      status,
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
      truncated,
      durationMs: elapsed(),
    });
    const timer = setTimeout(() => {
      deadlinePassed = new DeadlineError(`timed out after ${outbound.timeoutMs} ms`);
      // Still waiting for a connection: it is refused the moment it gets one (onRequestStart).
      if (controller) controller.abort(deadlinePassed);
      else finish({ ok: false, error: describeError(deadlinePassed, outbound.timeoutMs), durationMs: elapsed() });
    }, outbound.timeoutMs);

    agent.dispatch(
      {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: outbound.method as Dispatcher.HttpMethod,
        headers: outbound.headers,
        body: outbound.body,
        headersTimeout: outbound.timeoutMs,
        bodyTimeout: outbound.timeoutMs,
      },
      {
        onRequestStart(requestController) {
          controller = requestController;
          if (deadlinePassed) requestController.abort(deadlinePassed);
        },
        onResponseStart(_controller, statusCode, responseHeaders) {
          // 1xx answers come before the real one.
          if (statusCode < 200) return;
          status = statusCode;
          headers = flattenHeaders(responseHeaders);
        },
        onResponseData(requestController, chunk) {
          const room = RESPONSE_BODY_LIMIT - size;
          chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
          size += Math.min(chunk.length, room);
          if (chunk.length > room) {
            // The rest is not needed; dropping the connection is cheaper than draining it.
            finish(answered(true));
            requestController.abort(new Error('response body over the limit'));
          }
        },
        onResponseEnd() {
          finish(answered(false));
        },
        onResponseError(_controller, error) {
          finish({ ok: false, error: describeError(error, outbound.timeoutMs), durationMs: elapsed() });
        },
      },
    );
  });
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers).slice(0, RESPONSE_HEADERS_LIMIT)) {
    if (value !== undefined) out[key] = (Array.isArray(value) ? value.join(', ') : value).slice(0, 2048);
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
    return `${code ? `${code}: ` : ''}${error.message}${detail}`;
  }
  return String(error);
}
