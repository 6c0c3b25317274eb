import type { ClaimedDelivery } from '../outbox/types';

/**
 * Per-webhook accounting of a worker's delivery slots: one webhook may hold at most `share` of
 * them, so a slow or hanging endpoint cannot take every slot from the others.
 */
export class WebhookSlots {
  private readonly inFlight = new Map<string, number>();

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
}
