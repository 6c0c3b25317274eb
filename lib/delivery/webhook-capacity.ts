/**
 * How many of a worker's slots each webhook may hold, learned from how its endpoint answers.
 *
 * Concurrency is additive-increase, multiplicative-decrease, as TCP's window: a webhook starts
 * with a few slots, gains one per answer that came in time, and loses half on a timeout, a network
 * error, a 5xx or a 429. On top of that a circuit breaker: after `openAfter` such failures in a row
 * the endpoint rests (nothing is sent) for a cooldown that doubles each time it opens again, then
 * one delivery probes it (half-open); the probe's success closes the breaker, its failure opens it
 * for longer. A hanging endpoint therefore holds a few slots until its first timeouts, then one
 * probe; a healthy, busy one grows to `max`.
 */

/** ok: answered well; slow: answered, but too slowly to earn a slot; trouble: failed; none: nothing was sent. */
export type EndpointVerdict = 'ok' | 'slow' | 'trouble' | 'none';

export interface CapacitySettings {
  /** Slots a webhook starts with, and the most a webhook not seen before may take in one claim. */
  initial: number;
  /** The most slots one webhook may hold (HERALD_MAX_IN_FLIGHT_PER_WEBHOOK). */
  max: number;
  /** Failures in a row that open the breaker. */
  openAfter: number;
  /** First rest of an opened breaker; doubled at each reopening, up to `longestCooldownMs`. */
  cooldownMs: number;
  longestCooldownMs: number;
}

export const DEFAULT_CAPACITY: CapacitySettings = {
  initial: 4,
  max: 100,
  openAfter: 5,
  cooldownMs: 1_000,
  longestCooldownMs: 60_000,
};

interface WebhookState {
  inFlight: number;
  limit: number;
  failuresInRow: number;
  /** Breaker: 0 when closed; otherwise when the next probe may go. */
  openUntil: number;
  cooldownMs: number;
  /** A probe is out while the breaker is half-open. */
  probing: boolean;
  touched: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** States kept at most; idle ones (nothing in flight) are forgotten oldest first. */
const REMEMBERED = 10_000;

export class WebhookCapacity {
  private readonly states = new Map<string, WebhookState>();

  constructor(
    private readonly settings: CapacitySettings = DEFAULT_CAPACITY,
    private readonly now: () => number = Date.now,
  ) {}

  /** What a webhook the worker knows nothing of yet may start: the initial share. */
  defaultShare(): number {
    return Math.min(this.settings.initial, this.settings.max);
  }

  /** How many more deliveries of the webhook may start now. */
  available(webhookId: string): number {
    const state = this.states.get(webhookId);
    if (!state) return this.defaultShare();
    if (state.openUntil > 0) {
      if (state.probing || state.inFlight > 0 || this.now() < state.openUntil) return 0;
      return 1;
    }
    return Math.max(0, Math.floor(state.limit) - state.inFlight);
  }

  /** The shares a claim may take: webhooks that may start nothing, and those that differ from the default. */
  shares(): { excluded: string[]; caps: Map<string, number> } {
    const excluded: string[] = [];
    const caps = new Map<string, number>();
    for (const id of this.states.keys()) {
      const free = this.available(id);
      if (free === 0) excluded.push(id);
      else if (free !== this.settings.initial) caps.set(id, free);
    }
    return { excluded, caps };
  }

  /** Takes a slot; false when the webhook may not start another (the delivery waits). */
  start(webhookId: string): boolean {
    if (this.available(webhookId) <= 0) return false;
    const state = this.stateOf(webhookId);
    if (state.openUntil > 0) state.probing = true;
    state.inFlight++;
    return true;
  }

  /** Gives the slot back, with what the attempt said about the endpoint. */
  finish(webhookId: string, verdict: EndpointVerdict): void {
    const state = this.states.get(webhookId);
    if (!state) return;
    state.inFlight = Math.max(0, state.inFlight - 1);
    state.touched = this.now();
    if (verdict === 'ok' || verdict === 'slow') {
      state.failuresInRow = 0;
      if (state.openUntil > 0) {
        // The probe came back well: close, and grow again from one slot.
        state.openUntil = 0;
        state.probing = false;
        state.cooldownMs = this.settings.cooldownMs;
        state.limit = 1;
      } else if (verdict === 'ok') {
        state.limit = Math.min(this.settings.max, state.limit + 1);
      }
    } else if (verdict === 'trouble') {
      state.failuresInRow++;
      state.limit = Math.max(1, state.limit / 2);
      if (state.openUntil > 0) {
        if (state.probing) {
          state.probing = false;
          state.cooldownMs = Math.min(this.settings.longestCooldownMs, state.cooldownMs * 2);
          state.openUntil = this.now() + state.cooldownMs;
        }
      } else if (state.failuresInRow >= this.settings.openAfter) {
        state.openUntil = this.now() + state.cooldownMs;
      }
    } else if (state.probing) {
      // Nothing was learned (the request never went out): let another delivery probe.
      state.probing = false;
    }
    this.forgetIdle();
  }

  /** When a resting endpoint may be probed (0: it is not resting). */
  restingUntil(webhookId: string): number {
    return this.states.get(webhookId)?.openUntil ?? 0;
  }

  breaker(webhookId: string): BreakerState {
    const state = this.states.get(webhookId);
    if (!state || state.openUntil === 0) return 'closed';
    return state.probing || this.now() >= state.openUntil ? 'half-open' : 'open';
  }

  limit(webhookId: string): number {
    return Math.floor(this.states.get(webhookId)?.limit ?? this.settings.initial);
  }

  private stateOf(webhookId: string): WebhookState {
    let state = this.states.get(webhookId);
    if (!state) {
      state = {
        inFlight: 0,
        limit: Math.min(this.settings.initial, this.settings.max),
        failuresInRow: 0,
        openUntil: 0,
        cooldownMs: this.settings.cooldownMs,
        probing: false,
        touched: this.now(),
      };
      this.states.set(webhookId, state);
    }
    return state;
  }

  private forgetIdle(): void {
    if (this.states.size <= REMEMBERED) return;
    const idle = [...this.states.entries()]
      .filter(([, state]) => state.inFlight === 0 && state.openUntil === 0)
      .sort(([, a], [, b]) => a.touched - b.touched);
    for (const [id] of idle.slice(0, this.states.size - REMEMBERED)) this.states.delete(id);
  }
}
