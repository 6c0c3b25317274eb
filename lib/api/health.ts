import type { z } from 'zod';
import { databaseHealth } from '../db/health';
import { RETRY_AFTER_SECONDS } from '../db/unavailable';
import { HERALD_VERSION } from '../version';
import type { ApiAnswer } from './api-request';
import type { ZHealth } from './wire-common';

/**
 * `GET /healthz`, the one health endpoint, for load balancers and orchestrators: 200 while a
 * writable primary answers (lib/db/health.ts), else 503 with Retry-After. No token: it says
 * nothing but up or down, and the version.
 */
export async function healthAnswer(): Promise<ApiAnswer> {
  const database = await databaseHealth();
  const body: z.output<typeof ZHealth> = {
    status: database.ok ? 'ok' : 'unavailable',
    version: HERALD_VERSION,
    database: database.ok ? 'ok' : 'unreachable',
  };
  return {
    status: database.ok ? 200 : 503,
    headers: {
      ...(database.ok ? {} : { 'Retry-After': String(RETRY_AFTER_SECONDS) }),
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
    },
    body: JSON.stringify(body),
  };
}
