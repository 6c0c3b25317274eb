import { logger } from '../logger';
import type { TracingConfig } from './config';
import type { TracingRuntime } from './sdk';

/**
 * Whether this process traces, and the SDK when it does. Off (the default: no OTLP endpoint) the
 * SDK is never loaded and every span helper in spans.ts returns at its first line. Kept on
 * globalThis: in the web process Next.js's server bundle holds a copy of this module of its own
 * (server actions emit too), and both copies must see the one SDK scripts/web-server.ts started.
 */
const state = globalThis as typeof globalThis & { heraldTracing?: TracingRuntime | null };

/** The SDK, or null while tracing is off: read by the span helpers on every call, so kept this cheap. */
export function tracingRuntime(): TracingRuntime | null {
  return state.heraldTracing ?? null;
}

/**
 * Turns tracing on for this process when `config` says so (lib/tracing/config.ts: null means off).
 * Processes call it once at start (scripts/web-server.ts, worker/main.ts); tests call it with a
 * configuration of their own. Returns whether tracing is on.
 */
export async function startTracing(config: TracingConfig | null): Promise<boolean> {
  if (!config) return tracingRuntime() !== null;
  if (tracingRuntime()) throw new Error('tracing is already started in this process');
  const { createTracingRuntime } = await import('./sdk');
  state.heraldTracing = await createTracingRuntime(config);
  logger('tracing').info(
    `exporting traces to ${config.url} (${config.protocol}, sampler ${config.sampler}) as ${config.serviceName}`,
  );
  return true;
}

/** Sends the spans ended so far (tests read them at their collector after this). */
export async function flushTracing(): Promise<void> {
  await tracingRuntime()?.flush();
}

/**
 * Sends what is left and stops, at most `timeoutMs`: a collector that is down must not hold a
 * process's shutdown. Spans started after this are not recorded.
 */
export async function stopTracing(timeoutMs = 5000): Promise<void> {
  const stopping = tracingRuntime();
  if (!stopping) return;
  state.heraldTracing = null;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([
    stopping
      .flush()
      .then(() => stopping.shutdown())
      .catch(() => undefined),
    expired,
  ]);
  clearTimeout(timer);
}
