import { timingSafeEqual } from 'node:crypto';
import { env } from '../config/env';
import { database } from '../db/client';
import { registerQueueGauges } from './queue-gauges';
import { metricsRegistry } from './registry';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /metrics in the Prometheus text format. With HERALD_METRICS_TOKEN set it needs
 * `Authorization: Bearer <token>`; without, it answers only when HERALD_METRICS_PUBLIC=true.
 */
export async function metricsResponse(authorization: string | null): Promise<Response> {
  const config = env();
  if (config.HERALD_METRICS_TOKEN) {
    const match = /^bearer\s+(.+)$/i.exec(authorization ?? '');
    if (!match?.[1] || !sameToken(match[1].trim(), config.HERALD_METRICS_TOKEN)) {
      return new Response('unauthorized: send Authorization: Bearer <HERALD_METRICS_TOKEN>\n', {
        status: 401,
        headers: { 'WWW-Authenticate': 'Bearer realm="metrics"', 'Content-Type': 'text/plain' },
      });
    }
  } else if (!config.HERALD_METRICS_PUBLIC) {
    return new Response('metrics are off: set HERALD_METRICS_TOKEN (or HERALD_METRICS_PUBLIC=true)\n', {
      status: 403,
      headers: { 'Content-Type': 'text/plain' },
    });
  }
  registerQueueGauges(() => database().pool);
  return new Response(await metricsRegistry.metrics(), {
    headers: { 'Content-Type': metricsRegistry.contentType, 'Cache-Control': 'no-store' },
  });
}
