import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type pg from 'pg';
import type { Agent } from 'undici';
import type { PrivateDestinationPolicy } from '../config/env';
import type { HeraldPrisma } from '../db/client';
import { logger } from '../logger';
import { recordAttempt } from '../metrics/record';
import { createDeliveryAgent } from '../outbound/http-client';
import { claimDeliveries } from '../outbox/claim';
import { OutboxListener } from '../outbox/listener';
import { releaseLeases } from '../outbox/release';
import type { AttemptResult, ClaimedDelivery } from '../outbox/types';
import { attemptDelivery } from './attempt-delivery';
import { OutcomeWriter } from './outcome-writer';
import { DeliveryConfigCache } from './webhook-config';
import { WebhookSlots } from './webhook-slots';
import type { WorkerLog } from './worker-log';

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
  log?: WorkerLog;
}

export interface WorkerStats {
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * Claims due deliveries from the outbox and sends them, `concurrency` at a time. Wakes on NOTIFY
 * from whoever queued them, on its own retries falling due, and on a poll as a fallback.
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
  private readonly slots: WebhookSlots;
  private readonly outcomes: OutcomeWriter;
  private readonly listener: OutboxListener;
  private readonly log: WorkerLog;

  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private woken = false;
  private wakeUp: (() => void) | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryTimerAt = Number.POSITIVE_INFINITY;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: WorkerOptions) {
    this.concurrency = options.concurrency ?? 200;
    this.batchSize = options.batchSize ?? 100;
    this.leaseMs = options.leaseMs ?? options.timeoutMs * 2 + 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    const fallback = logger('worker');
    this.log = options.log ?? ((level, message) => fallback[level](message));
    this.agent = createDeliveryAgent(options.privateDestinations, Math.max(8, Math.ceil(this.concurrency / 4)));
    this.configs = new DeliveryConfigCache(options.prisma);
    this.slots = new WebhookSlots(options.maxInFlightPerWebhook ?? 100);
    this.outcomes = new OutcomeWriter(options.pool, this.owner, { disableAfterMs: options.disableAfterMs }, this.log);
    this.listener = new OutboxListener({
      databaseUrl: options.databaseUrl,
      onNotify: () => this.wake(),
      onLost: (reason) =>
        this.log('warn', `LISTEN unavailable (${reason}); polling every ${this.pollIntervalMs} ms until it is back`),
    });
  }

  async start(): Promise<void> {
    this.running = true;
    await this.listener.start();
    this.loopDone = this.loop();
  }

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
      await this.outcomes.drain();
    })();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), graceMs);
    });
    if ((await Promise.race([drained, expired])) === 'expired') {
      this.outcomes.abandon();
      this.log('warn', `stopping without writing ${this.outcomes.size} outcomes; their leases will expire`);
    }
    clearTimeout(timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.listener.close();
    await this.agent.close().catch(() => undefined);
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
        this.log('error', `claim failed (${error instanceof Error ? error.message : String(error)}); retrying`);
        await this.sleep(Math.min(30_000, 250 * 2 ** failures));
        continue;
      }
      if (claimed.length > 0) this.dispatch(claimed);
      if (claimed.length < limit) await this.sleep(this.pollIntervalMs);
    }
  }

  /**
   * Starts the claimed deliveries, except those of a webhook that already has its share of this
   * worker's slots: they go back to the queue behind other webhooks' deliveries, without counting
   * as an attempt, for about as long as that webhook's requests take (a hanging endpoint's end at
   * the timeout).
   */
  private dispatch(claimed: ClaimedDelivery[]): void {
    const { start, defer } = this.slots.take(claimed);
    const byDelay = new Map<number, string[]>();
    for (const delivery of defer) {
      const delay = this.slots.handBackDelay(delivery.webhookId, this.options.timeoutMs);
      byDelay.set(delay, [...(byDelay.get(delay) ?? []), delivery.id]);
    }
    for (const [delay, ids] of byDelay) {
      releaseLeases(this.options.pool, this.owner, ids, delay).catch((error: Error) =>
        this.log('warn', `handing back ${ids.length} deliveries failed (${error.message}); their leases will expire`),
      );
    }
    this.inFlight += start.length;
    this.configs
      .get(new Map(start.map((delivery) => [delivery.webhookId, delivery.webhook.version])))
      .then((configs) => {
        for (const delivery of start) {
          attemptDelivery(delivery, configs.get(delivery.webhookId), {
            agent: this.agent,
            timeoutMs: this.options.timeoutMs,
            schedule: this.options.schedule,
          })
            .then((result) => this.record(result))
            .catch((error: Error) =>
              this.log('error', `delivery ${delivery.id} crashed: ${error.stack ?? error.message}`),
            )
            .finally(() => this.settle([delivery]));
        }
      })
      .catch(async (error: Error) => {
        // The database could not be read: hand the claims back for another try.
        this.log('error', `loading webhook configs failed (${error.message})`);
        await releaseLeases(
          this.options.pool,
          this.owner,
          start.map((delivery) => delivery.id),
        ).catch(() => undefined);
        this.settle(start);
      });
  }

  private settle(done: readonly ClaimedDelivery[]): void {
    this.slots.release(done);
    const freeBefore = this.concurrency - this.inFlight;
    this.inFlight -= done.length;
    const freeAfter = this.concurrency - this.inFlight;
    // Wake the claim loop when this settle made room for a worthwhile claim.
    if (freeBefore < this.refillThreshold && (freeAfter >= this.refillThreshold || this.inFlight === 0)) this.wake();
    if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private record(result: AttemptResult): void {
    recordAttempt(result);
    if (result.sent) this.slots.observe(result.webhookId, result.durationMs);
    if (result.outcome === 'DELIVERED') this.stats.delivered++;
    else if (result.outcome === 'RETRYING') this.stats.retrying++;
    else this.stats.failed++;
    if (result.nextAttemptAt) this.wakeAt(result.nextAttemptAt.getTime());
    this.outcomes.push(result);
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
