import type { ClaimedDelivery } from '../outbox/types';

/** How long a new webhook's surplus waits before it is claimed again, with no durations seen yet. */
const FIRST_HAND_BACK_MS = 250;
const SHORTEST_HAND_BACK_MS = 50;
/** Weight of the newest duration in a webhook's running average. */
const SMOOTHING = 0.3;
/** Webhooks whose running average is remembered; the least recently used is forgotten first. */
const REMEMBERED = 10_000;

/**
 * Per-webhook accounting of a worker's delivery slots: one webhook may hold at most `share` of
 * them, so a slow or hanging endpoint cannot take every slot from the others. What is over the
 * share goes back to the queue for about as long as that webhook's requests take: a fast endpoint
 * gets its surplus back within milliseconds, a hanging one only once its requests time out.
 */
export class WebhookSlots {
  private readonly inFlight = new Map<string, number>();
  private readonly typicalMs = new Map<string, number>();

  constructor(private readonly share: number) {}

  /** Splits a claim into what may start now (slots taken) and what must wait for a slot. */
  take(claimed: readonly ClaimedDelivery[]): { start: ClaimedDelivery[]; defer: ClaimedDelivery[] } {
    const start: ClaimedDelivery[] = [];
    const defer: ClaimedDelivery[] = [];
    for (const delivery of claimed) {
      const count = this.inFlight.get(delivery.webhookId) ?? 0;
      if (count >= this.share) {
        defer.push(delivery);
        continue;
      }
      this.inFlight.set(delivery.webhookId, count + 1);
      start.push(delivery);
    }
    return { start, defer };
  }

  release(done: readonly Pick<ClaimedDelivery, 'webhookId'>[]): void {
    for (const { webhookId } of done) {
      const left = (this.inFlight.get(webhookId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(webhookId, left);
      else this.inFlight.delete(webhookId);
    }
  }

  /** Notes how long one of the webhook's requests took (a timeout counts as the whole timeout). */
  observe(webhookId: string, durationMs: number): void {
    const before = this.typicalMs.get(webhookId);
    this.typicalMs.delete(webhookId);
    this.typicalMs.set(webhookId, before === undefined ? durationMs : before + SMOOTHING * (durationMs - before));
    if (this.typicalMs.size > REMEMBERED) {
      const oldest = this.typicalMs.keys().next().value;
      if (oldest !== undefined) this.typicalMs.delete(oldest);
    }
  }

  /** How long a delivery over the webhook's share waits before it is claimed again. */
  handBackDelay(webhookId: string, timeoutMs: number): number {
    const typical = this.typicalMs.get(webhookId) ?? FIRST_HAND_BACK_MS;
    return Math.round(Math.min(timeoutMs, Math.max(SHORTEST_HAND_BACK_MS, typical)));
  }
}
