/**
 * A counting semaphore whose permits have a weight: one permit per content load, or one per byte
 * of content held. Waiters are served strictly first come, first served, so a large request is
 * never starved by a stream of small ones; a waiter gives up when its signal aborts.
 */
export class SemaphoreWaitAborted extends Error {
  override name = 'SemaphoreWaitAborted';
}

interface Waiter {
  weight: number;
  grant: () => void;
  cancel: () => void;
}

export class WeightedSemaphore {
  private available: number;
  private readonly waiters: Waiter[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.available = capacity;
  }

  /** Permits not held by anyone right now. */
  get free(): number {
    return this.available;
  }

  /** Callers waiting for permits. */
  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Takes `weight` permits (at most the capacity), waiting for them if need be. Rejects with
   * SemaphoreWaitAborted when `signal` aborts first; then nothing is held.
   */
  acquire(weight: number, signal?: AbortSignal): Promise<void> {
    if (!Number.isInteger(weight) || weight < 0 || weight > this.capacity) {
      return Promise.reject(new RangeError(`weight must be an integer between 0 and ${this.capacity}`));
    }
    if (signal?.aborted) return Promise.reject(new SemaphoreWaitAborted('gave up waiting'));
    if (this.waiters.length === 0 && weight <= this.available) {
      this.available -= weight;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => waiter.cancel();
      const waiter: Waiter = {
        weight,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        cancel: () => {
          const index = this.waiters.indexOf(waiter);
          if (index < 0) return;
          this.waiters.splice(index, 1);
          reject(new SemaphoreWaitAborted('gave up waiting'));
          // The head leaving may let the next ones through.
          this.grantWaiters();
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Gives back `weight` permits (all or part of what one acquire took). */
  release(weight: number): void {
    if (weight <= 0) return;
    this.available = Math.min(this.capacity, this.available + weight);
    this.grantWaiters();
  }

  private grantWaiters(): void {
    for (let head = this.waiters[0]; head && head.weight <= this.available; head = this.waiters[0]) {
      this.waiters.shift();
      this.available -= head.weight;
      head.grant();
    }
  }
}
