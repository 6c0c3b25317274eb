import { randomBytes } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import type { Agent } from 'undici';
import type { PrivateDestinationPolicy } from '../config/env';
import type { HeraldPrisma } from '../db/client';
import { DELIVERIES_CHANNEL } from '../events/emit-event';
import { attemptDelivery } from './attempt-delivery';
import { createDeliveryAgent } from './http-client';
import { type AttemptResult, type ClaimedDelivery, claimDeliveries, completeDeliveries, releaseLeases } from './outbox';
import { DeliveryConfigCache } from './webhook-config';

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
  /** Deliveries of one webhook in flight at once in this worker, so a slow endpoint cannot take every slot. */
  maxInFlightPerWebhook?: number;
  /** How long a claim is held; after that another worker may take the delivery. */
  leaseMs?: number;
  /** The fallback when a NOTIFY is missed (connection lost) and for other workers' retries. */
  pollIntervalMs?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface WorkerStats {
  delivered: number;
  retrying: number;
  failed: number;
}

const FLUSH_BATCH = 500;

/**
 * Claims due deliveries from the outbox and sends them, `concurrency` at a time. Wakes on NOTIFY
 * from emitEvent, on its own retries falling due, and on a poll as a fallback. Outcomes are
 * written in batches; until written, a delivery stays leased, so a crash means a resend, not a loss.
 */
export class DeliveryWorker {
  readonly owner = `${os.hostname().slice(0, 32)}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly stats: WorkerStats = { delivered: 0, retrying: 0, failed: 0 };

  private readonly concurrency: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly agent: Agent;
  private readonly configs: DeliveryConfigCache;
  private readonly log: NonNullable<WorkerOptions['log']>;

  private running = false;
  /** Set when a stop gave up waiting: pending writes stop retrying. */
  private stopped = false;
  private loopDone: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private readonly inFlightByWebhook = new Map<string, number>();
  private woken = false;
  private wakeUp: (() => void) | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryTimerAt = Number.POSITIVE_INFINITY;
  private listener: pg.Client | null = null;
  private results: AttemptResult[] = [];
  private flushing: Promise<void> | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: WorkerOptions) {
    this.concurrency = options.concurrency ?? 200;
    this.batchSize = options.batchSize ?? 100;
    this.leaseMs = options.leaseMs ?? options.timeoutMs * 2 + 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.agent = createDeliveryAgent(options.privateDestinations, Math.max(8, Math.ceil(this.concurrency / 4)));
    this.configs = new DeliveryConfigCache(options.prisma);
    this.log = options.log ?? ((level, message) => console[level](`[worker] ${message}`));
  }

  async start(): Promise<void> {
    this.running = true;
    await this.listen();
    this.loopDone = this.loop();
  }

  /** Graceful stop: no new claims, in-flight sends finish and their outcomes are written. */
  /**
   * Graceful stop: no new claims, in-flight sends finish and their outcomes are written. If that
   * cannot happen within `graceMs` (the database is gone, say), it gives up: the deliveries stay
   * leased, the leases expire, and another worker sends them again. Nothing is lost either way.
   */
  async stop(graceMs = this.options.timeoutMs + 20_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    const drained = (async () => {
      await this.loopDone;
      while (this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      await this.flushing;
      await this.flush();
    })();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), graceMs);
    });
    if ((await Promise.race([drained, expired])) === 'expired') {
      this.stopped = true;
      this.log('warn', `stopping without writing ${this.results.length} outcomes; their leases will expire`);
    }
    clearTimeout(timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const listener = this.listener;
    this.listener = null;
    // running is false, so the listener's 'end' does not reconnect.
    await listener?.end().catch(() => undefined);
    await this.agent.close().catch(() => undefined);
  }

  /** LISTEN on a connection of its own; when it drops, polling carries on until it is back. */
  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    let lost = false;
    const reconnect = (reason: string) => {
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = null;
      client.end().catch(() => undefined);
      if (!this.running) return;
      this.log('warn', `LISTEN unavailable (${reason}); polling every ${this.pollIntervalMs} ms until it is back`);
      setTimeout(() => this.running && void this.listen(), 1000).unref();
    };
    client.on('notification', () => this.wake());
    client.on('error', (error) => reconnect(error.message));
    client.on('end', () => reconnect('connection closed'));
    try {
      await client.connect();
      await client.query(`LISTEN ${DELIVERIES_CHANNEL}`);
      this.listener = client;
    } catch (error) {
      reconnect((error as Error).message);
    }
  }

  private wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = null;
    this.woken = false;
  }

  /**
   * Free slots worth a claim while deliveries are in flight: claiming for every slot that frees
   * up would spend a query per delivery; waiting for half a batch keeps claims large.
   */
  private get refillThreshold(): number {
    return Math.max(1, Math.floor(Math.min(this.batchSize, this.concurrency) / 2));
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const free = this.concurrency - this.inFlight;
      if (free <= 0 || (this.inFlight > 0 && free < this.refillThreshold)) {
        await this.sleep(this.pollIntervalMs);
        continue;
      }
      const limit = Math.min(free, this.batchSize);
      let claimed: ClaimedDelivery[];
      try {
        claimed = await claimDeliveries(this.options.pool, limit, this.leaseMs, this.owner);
        failures = 0;
      } catch (error) {
        failures++;
        this.log('error', `claim failed (${(error as Error).message}); retrying`);
        await this.sleep(Math.min(30_000, 250 * 2 ** failures));
        continue;
      }
      if (claimed.length > 0) this.dispatch(claimed);
      if (claimed.length < limit) await this.sleep(this.pollIntervalMs);
    }
  }

  /**
   * Starts the claimed deliveries, except those of a webhook that already has its share of this
   * worker's slots: a slow or hanging endpoint must not take every slot from the others. Those go
   * back to the queue for a moment, without counting as an attempt.
   */
  private dispatch(claimed: ClaimedDelivery[]): void {
    const share = this.options.maxInFlightPerWebhook ?? 50;
    const batch: ClaimedDelivery[] = [];
    const deferred: string[] = [];
    for (const delivery of claimed) {
      const count = this.inFlightByWebhook.get(delivery.webhookId) ?? 0;
      if (count >= share) {
        deferred.push(delivery.id);
        continue;
      }
      this.inFlightByWebhook.set(delivery.webhookId, count + 1);
      batch.push(delivery);
    }
    if (deferred.length > 0) {
      // Back in the queue behind other webhooks' deliveries, until a slot of this webhook can
      // have freed up (a hanging request ends at the timeout at the latest).
      releaseLeases(this.options.pool, this.owner, deferred, this.options.timeoutMs).catch((error: Error) =>
        this.log(
          'warn',
          `handing back ${deferred.length} deliveries failed (${error.message}); their leases will expire`,
        ),
      );
    }
    this.inFlight += batch.length;
    const versions = new Map(batch.map((delivery) => [delivery.webhookId, delivery.webhook.version]));
    this.configs
      .get(versions)
      .then((configs) => {
        for (const claimed of batch) {
          attemptDelivery(claimed, configs.get(claimed.webhookId), {
            agent: this.agent,
            timeoutMs: this.options.timeoutMs,
            schedule: this.options.schedule,
          })
            .then((result) => this.record(result))
            .catch((error: Error) =>
              this.log('error', `delivery ${claimed.id} crashed: ${error.stack ?? error.message}`),
            )
            .finally(() => this.settle([claimed]));
        }
      })
      .catch(async (error: Error) => {
        // Without configs nothing can be sent: hand the claims back for another try.
        this.log('error', `loading webhook configs failed (${error.message})`);
        await releaseLeases(
          this.options.pool,
          this.owner,
          batch.map((delivery) => delivery.id),
        ).catch(() => undefined);
        this.settle(batch);
      });
  }

  private settle(done: readonly ClaimedDelivery[]): void {
    for (const { webhookId } of done) {
      const left = (this.inFlightByWebhook.get(webhookId) ?? 1) - 1;
      if (left > 0) this.inFlightByWebhook.set(webhookId, left);
      else this.inFlightByWebhook.delete(webhookId);
    }
    const freeBefore = this.concurrency - this.inFlight;
    this.inFlight -= done.length;
    const freeAfter = this.concurrency - this.inFlight;
    // Wake the claim loop when this settle made room for a worthwhile claim.
    if (freeBefore < this.refillThreshold && (freeAfter >= this.refillThreshold || this.inFlight === 0)) this.wake();
    if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private record(result: AttemptResult): void {
    if (result.outcome === 'DELIVERED') this.stats.delivered++;
    else if (result.outcome === 'RETRYING') this.stats.retrying++;
    else this.stats.failed++;
    if (result.nextAttemptAt) this.wakeAt(result.nextAttemptAt.getTime());
    this.results.push(result);
    if (!this.flushing) this.flushing = this.flush().finally(() => (this.flushing = null));
  }

  /** Writes outcomes in batches, one flush at a time; a failed write is retried, never dropped. */
  private async flush(): Promise<void> {
    let failures = 0;
    // Let the sends completing in this tick join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.results.length > 0 && !this.stopped) {
      const batch = this.results.splice(0, FLUSH_BATCH);
      try {
        await this.write(batch);
        failures = 0;
      } catch (error) {
        this.results.unshift(...batch);
        failures++;
        this.log('error', `writing ${batch.length} outcomes failed (${(error as Error).message}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 100 * 2 ** failures)));
      }
    }
  }

  /**
   * One statement for the batch. If the database rejects the batch for its data (not for being
   * unreachable), each outcome is written alone, and one that still fails is written without the
   * response it carried, so a single odd response cannot block every other outcome.
   */
  private async write(batch: AttemptResult[]): Promise<void> {
    const health = { disableAfterMs: this.options.disableAfterMs };
    try {
      await completeDeliveries(this.options.pool, this.owner, batch, health);
    } catch (error) {
      if (!isDataError(error)) throw error;
      for (const result of batch) {
        try {
          await completeDeliveries(this.options.pool, this.owner, [result], health);
        } catch (soloError) {
          if (!isDataError(soloError)) throw soloError;
          this.log('warn', `delivery ${result.deliveryId}: response not storable (${(soloError as Error).message})`);
          await completeDeliveries(
            this.options.pool,
            this.owner,
            [withoutResponse(result, soloError as Error)],
            health,
          );
        }
      }
    }
  }

  /** Wake when this worker's own retry falls due, rather than at the next poll. */
  private wakeAt(time: number): void {
    if (time >= this.retryTimerAt) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimerAt = time;
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = null;
        this.retryTimerAt = Number.POSITIVE_INFINITY;
        this.wake();
      },
      Math.max(0, time - Date.now()) + 5,
    );
    this.retryTimer.unref();
  }
}

/** SQLSTATE class 22 (data exception): the values were refused, retrying them as they are cannot help. */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('22');
}

function withoutResponse(result: AttemptResult, error: Error): AttemptResult {
  return {
    ...result,
    responseHeaders: null,
    responseBody: null,
    responseBodyTruncated: false,
    error: `${result.error ? `${result.error}; ` : ''}the response could not be stored (${error.message})`,
  };
}
