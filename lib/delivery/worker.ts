import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Agent } from 'undici';
import { errorDetail, errorMessage } from '../errors';
import { logger } from '../logger';
import { recordAttempt } from '../metrics/record';
import { createDeliveryAgent } from '../outbound/http-client';
import { armWebhooks } from '../outbox/arm';
import { claimDeliveries } from '../outbox/claim';
import { OutboxListener } from '../outbox/listener';
import { releaseLeases } from '../outbox/release';
import type { AttemptResult, ClaimedDelivery } from '../outbox/types';
import { attemptDelivery, internalErrorResult } from './attempt-delivery';
import { endpointVerdict } from './endpoint-verdict';
import { OutcomeWriter } from './outcome-writer';
import { DEFAULT_CAPACITY, WebhookCapacity } from './webhook-capacity';
import { type DeliveryConfig, DeliveryConfigCache } from './webhook-config';
import type { WorkerLog } from './worker-log';
import type { AttemptFn, WorkerOptions, WorkerStats } from './worker-options';
import { WorkerWaker } from './worker-waker';

export type { AttemptFn, WorkerOptions, WorkerStats } from './worker-options';

/** Webhooks served per claim: enough that a claim is never all one webhook's. */
const WEBHOOKS_PER_CLAIM = 50;
/** How often each worker looks for work whose arm was lost (a process died between commit and arm). */

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
  /** An answer slower than this does not earn its webhook another slot. */
  private readonly slowMs: number;
  private readonly agent: Agent;
  private readonly configs: DeliveryConfigCache;
  private readonly capacity: WebhookCapacity;
  /** Webhooks the last claim took a full share of: more of their deliveries may be due. */
  private readonly backlogged = new Set<string>();
  private readonly attempt: AttemptFn;
  private readonly outcomes: OutcomeWriter;
  private readonly listener: OutboxListener;
  private readonly log: WorkerLog;

  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private readonly waker = new WorkerWaker();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: WorkerOptions) {
    this.concurrency = options.concurrency ?? 200;
    this.batchSize = options.batchSize ?? 100;
    this.leaseMs = options.leaseMs ?? options.timeoutMs * 2 + 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.slowMs = Math.max(250, options.timeoutMs / 4);
    const fallback = logger('worker');
    this.log =
      options.log ?? ((level, message, context) => (context ? fallback.child(context) : fallback)[level](message));
    this.agent = createDeliveryAgent(options.privateDestinations, Math.max(8, Math.ceil(this.concurrency / 4)));
    this.configs = new DeliveryConfigCache(options.prisma);
    this.capacity = new WebhookCapacity({
      ...DEFAULT_CAPACITY,
      max: options.maxInFlightPerWebhook ?? DEFAULT_CAPACITY.max,
      initial: Math.min(
        options.initialInFlightPerWebhook ?? DEFAULT_CAPACITY.initial,
        options.maxInFlightPerWebhook ?? DEFAULT_CAPACITY.max,
      ),
      openAfter: options.breakerFailures ?? DEFAULT_CAPACITY.openAfter,
      cooldownMs: options.breakerCooldownMs ?? DEFAULT_CAPACITY.cooldownMs,
    });
    this.attempt = options.attempt ?? attemptDelivery;
    this.outcomes = new OutcomeWriter(options.pool, this.owner, { disableAfterMs: options.disableAfterMs }, this.log);
    this.listener = new OutboxListener({
      databaseUrl: options.databaseUrl,
      onNotify: () => this.waker.wake(),
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
    this.waker.wake();
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
    this.waker.close();
    await this.listener.close();
    await this.agent.close().catch(() => undefined);
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
        await this.waker.sleep(this.pollIntervalMs);
        continue;
      }
      const limit = Math.min(free, this.batchSize);
      let claimed: ClaimedDelivery[];
      let excluded: string[];
      let caps: Map<string, number>;
      try {
        ({ excluded, caps } = this.capacity.shares());
        claimed = await claimDeliveries(
          this.options.pool,
          { limit, webhooks: WEBHOOKS_PER_CLAIM, defaultCap: this.capacity.defaultShare(), excluded, caps },
          this.leaseMs,
          this.owner,
        );
        failures = 0;
      } catch (error) {
        failures++;
        this.log('error', `claim failed (${errorMessage(error)}); retrying`);
        await this.waker.sleep(Math.min(30_000, 250 * 2 ** failures));
        continue;
      }
      this.noteBacklogs(claimed, caps);
      if (claimed.length > 0) void this.dispatch(claimed);
      if (claimed.length < limit) await this.waker.sleep(this.pollIntervalMs);
    }
  }

  /**
   * Starts the claimed deliveries. The claim took no more of a webhook than it could start, but an
   * answer that came back meanwhile may have rested its endpoint: those go back to the queue, without
   * counting as an attempt, until the endpoint may be probed.
   */
  private async dispatch(claimed: ClaimedDelivery[]): Promise<void> {
    const claimedAt = Date.now();
    const start: ClaimedDelivery[] = [];
    const handBack = new Map<string, string[]>();
    for (const delivery of claimed) {
      if (this.capacity.start(delivery.webhookId)) start.push(delivery);
      else handBack.set(delivery.webhookId, [...(handBack.get(delivery.webhookId) ?? []), delivery.id]);
    }
    for (const [webhookId, ids] of handBack) void this.handBack(webhookId, ids);
    this.inFlight += start.length;
    let configs: Map<string, DeliveryConfig>;
    try {
      configs = await this.configs.get(
        new Map(start.map((delivery) => [delivery.webhookId, delivery.webhook.version])),
      );
    } catch (error) {
      // The database could not be read: hand the claims back for another try.
      this.log('error', `loading webhook configs failed (${errorMessage(error)})`);
      const ids = start.map((delivery) => delivery.id);
      const arms = [...new Set(start.map((delivery) => delivery.webhookId))].map((webhookId) => ({
        webhookId,
        at: null,
      }));
      try {
        await releaseLeases(this.options.pool, this.owner, ids);
        await armWebhooks(this.options.pool, arms, false);
      } catch {
        // Unreachable still: the leases expire, and the queue already says when.
      }
      for (const delivery of start) this.settle(delivery, 'none');
      return;
    }
    for (const delivery of start) {
      const config = configs.get(delivery.webhookId);
      // A paced (rate-limited) webhook's delivery holds its slot until its start, which the claim
      // booked at most a tenth of a second ahead.
      const waitMs = claimedAt + delivery.startInMs - Date.now();
      if (waitMs >= 1) setTimeout(() => void this.deliver(delivery, config), waitMs);
      else void this.deliver(delivery, config);
    }
  }

  /** One delivery in its slot: whatever the attempt throws is its outcome, never a claim again every lease. */
  private async deliver(delivery: ClaimedDelivery, config: DeliveryConfig | undefined): Promise<void> {
    const settings = { agent: this.agent, timeoutMs: this.options.timeoutMs, schedule: this.options.schedule };
    let result: AttemptResult;
    try {
      result = await this.attempt(delivery, config, settings);
    } catch (error) {
      this.log('error', `delivery ${delivery.id} crashed: ${errorDetail(error)}`, {
        webhookId: delivery.webhookId,
        deliveryId: delivery.id,
      });
      result = internalErrorResult(delivery, settings, error);
    }
    try {
      this.record(result);
    } finally {
      this.settle(delivery, null);
    }
  }

  private async handBack(webhookId: string, ids: string[]): Promise<void> {
    const at = new Date(Math.max(Date.now() + 50, this.capacity.restingUntil(webhookId)));
    try {
      await releaseLeases(this.options.pool, this.owner, ids, at);
      await armWebhooks(this.options.pool, [{ webhookId, at }], false);
    } catch (error) {
      this.log(
        'warn',
        `handing back ${ids.length} deliveries failed (${errorMessage(error)}); their leases will expire`,
        { webhookId },
      );
    }
  }

  private noteBacklogs(claimed: readonly ClaimedDelivery[], caps: ReadonlyMap<string, number>): void {
    const taken = new Map<string, number>();
    for (const { webhookId } of claimed) taken.set(webhookId, (taken.get(webhookId) ?? 0) + 1);
    // A rate-limited webhook's next delivery may start about 1/rate s from now: claim again then,
    // rather than at the next poll, so it keeps its pace (the claim books only what starts soon).
    const fastest = Math.max(0, ...claimed.map((delivery) => delivery.webhook.rateLimit ?? 0));
    if (fastest > 0) this.waker.wakeAt(Date.now() + Math.max(50, 1000 / fastest));
    const defaultCap = this.capacity.defaultShare();
    for (const [webhookId, count] of taken) {
      if (count >= (caps.get(webhookId) ?? defaultCap)) this.backlogged.add(webhookId);
      else this.backlogged.delete(webhookId);
    }
  }

  /** A slot is free again; `verdict` when the attempt's result did not already give it back. */
  private settle(done: ClaimedDelivery, verdict: 'none' | null): void {
    if (verdict) this.capacity.finish(done.webhookId, verdict);
    const freeBefore = this.concurrency - this.inFlight;
    this.inFlight -= 1;
    const freeAfter = this.concurrency - this.inFlight;
    // Wake the claim loop when this settle made room for a worthwhile claim: the worker's slots
    // were nearly all taken, or a webhook with more due work has half its own share free again.
    if (freeBefore < this.refillThreshold && (freeAfter >= this.refillThreshold || this.inFlight === 0))
      this.waker.wake();
    else if (this.backlogged.has(done.webhookId)) {
      const free = this.capacity.available(done.webhookId);
      if (free > 0 && free >= this.capacity.limit(done.webhookId) / 2) {
        this.backlogged.delete(done.webhookId);
        this.waker.wake();
      }
    }
    if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private record(result: AttemptResult): void {
    recordAttempt(result);
    this.capacity.finish(result.webhookId, endpointVerdict(result, this.slowMs));
    if (result.outcome === 'DELIVERED') this.stats.delivered++;
    else if (result.outcome === 'RETRYING') this.stats.retrying++;
    else this.stats.failed++;
    if (result.nextAttemptAt) this.waker.wakeAt(result.nextAttemptAt.getTime());
    this.outcomes.push(result);
  }
}
