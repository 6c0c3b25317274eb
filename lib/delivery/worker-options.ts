import type pg from 'pg';
import type { PrivateDestinationPolicy } from '../config/env';
import type { HeraldPrisma } from '../db/client';
import type { AttemptResult, ClaimedDelivery } from '../outbox/types';
import type { AttemptSettings } from './attempt-delivery';
import type { DeliveryConfig } from './webhook-config';
import type { WorkerLog } from './worker-log';

/** One try at one delivery; a test may wrap it to inject a fault. */
export type AttemptFn = (
  claimed: ClaimedDelivery,
  config: DeliveryConfig | undefined,
  settings: AttemptSettings,
) => Promise<AttemptResult>;

export interface WorkerOptions {
  databaseUrl: string;
  pool: pg.Pool;
  prisma: HeraldPrisma;
  schedule: readonly number[];
  timeoutMs: number;
  privateDestinations: PrivateDestinationPolicy;
  disableAfterMs: number;
  /** Deliveries in flight at once. */
  concurrency?: number;
  /** Most deliveries claimed per query. */
  batchSize?: number;
  /** The most deliveries of one webhook in flight at once in this worker, however well its endpoint answers. */
  maxInFlightPerWebhook?: number;
  /** Slots a webhook starts with before its endpoint has answered (it grows by one per good answer). */
  initialInFlightPerWebhook?: number;
  /** Failures in a row (timeouts, network errors, 5xx, 429) that rest an endpoint. */
  breakerFailures?: number;
  /** First rest of an endpoint whose breaker opened; doubled at each reopening, up to a minute. */
  breakerCooldownMs?: number;
  attempt?: AttemptFn;
  /** How long a claim is held; after that another worker may take the delivery. */
  leaseMs?: number;
  /** The fallback when a NOTIFY is missed (connection lost) and for other workers' retries. */
  pollIntervalMs?: number;
  log?: WorkerLog;
}

export interface WorkerStats {
  delivered: number;
  retrying: number;
  failed: number;
}
