/**
 * The bookkeeping behind the render pool's fairness between webhooks (render-pool.ts): a queue
 * with one lane per key served in turn, and what the pool has learnt about each key's renders.
 * Pure and synchronous; time comes from the caller.
 */

/** Jobs in one lane per key, taken round-robin, so a key with a long backlog cannot hold the others back. */
export class FairQueue<T> {
  private readonly lanes = new Map<string, T[]>();
  /** Keys with waiting jobs, in serving order; `cursor` is the next one to serve. */
  private readonly order: string[] = [];
  private cursor = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(key: string, item: T): void {
    this.lane(key).push(item);
    this.count++;
  }

  /** Puts jobs back at the front of their lanes (they were taken but never ran). */
  unshift(key: string, item: T): void {
    this.lane(key).unshift(item);
    this.count++;
  }

  /** The next job of the first lane, from the cursor on, whose key `eligible` accepts. */
  take(eligible: (key: string) => boolean): T | undefined {
    for (let step = 0; step < this.order.length; step++) {
      const index = (this.cursor + step) % this.order.length;
      const key = this.order[index]!;
      if (!eligible(key)) continue;
      const lane = this.lanes.get(key)!;
      const item = lane.shift()!;
      this.count--;
      if (lane.length === 0) {
        this.dropLane(index);
        this.cursor = this.order.length === 0 ? 0 : index % this.order.length;
      } else {
        this.cursor = (index + 1) % this.order.length;
      }
      return item;
    }
    return undefined;
  }

  /** Removes one job (it gave up waiting); false if it was not queued. */
  remove(key: string, item: T): boolean {
    const lane = this.lanes.get(key);
    const at = lane ? lane.indexOf(item) : -1;
    if (!lane || at < 0) return false;
    lane.splice(at, 1);
    this.count--;
    if (lane.length === 0) this.dropLane(this.order.indexOf(key));
    return true;
  }

  /** Every job of one key, removed from the queue. */
  drain(key: string): T[] {
    const lane = this.lanes.get(key);
    if (!lane) return [];
    this.count -= lane.length;
    this.dropLane(this.order.indexOf(key));
    return lane;
  }

  drainAll(): T[] {
    const all = this.order.flatMap((key) => this.lanes.get(key) ?? []);
    this.lanes.clear();
    this.order.length = 0;
    this.cursor = 0;
    this.count = 0;
    return all;
  }

  private lane(key: string): T[] {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = [];
      this.lanes.set(key, lane);
      // A new lane is served after the ones already waiting.
      this.order.splice(this.cursor, 0, key);
      this.cursor = (this.cursor + 1) % this.order.length;
    }
    return lane;
  }

  private dropLane(index: number): void {
    const key = this.order[index];
    if (key === undefined) return;
    this.order.splice(index, 1);
    this.lanes.delete(key);
    if (index < this.cursor) this.cursor--;
    if (this.cursor >= this.order.length) this.cursor = 0;
  }
}

/**
 * - `trusted`: its last renders finished well within the limit; its jobs share threads freely.
 * - `new`: no render seen yet (or forgotten), so it may be hostile: one job at a time, alone on a thread.
 * - `suspect`: a render was stopped (time or memory limit) recently: as `new`, and never on the
 *   last thread that is free of such work, so other keys always have a thread.
 * - `parked`: stopped `parkAfter` times in a row: its renders fail fast until the cool-down ends.
 */
export type KeyStatus = 'trusted' | 'new' | 'suspect' | 'parked';

export interface KeyHealthOptions {
  /** Consecutive stopped renders that park a key. */
  parkAfter: number;
  /** How long a parked key's renders fail fast. */
  parkMs: number;
  /** How long after a stopped render a key stays suspect. */
  suspectMs: number;
  /** A render at most this long counts as proof that a key's template is well-behaved. */
  fastMs: number;
  /** Keys remembered; the least recently seen are forgotten first (and become `new` again). */
  maxKeys?: number;
}

interface Health {
  proven: boolean;
  strikes: number;
  suspectUntil: number;
  parkedUntil: number;
}

export class KeyHealth {
  private readonly keys = new Map<string, Health>();

  constructor(private readonly options: KeyHealthOptions) {}

  status(key: string, now: number): KeyStatus {
    const health = this.keys.get(key);
    if (!health) return 'new';
    if (health.parkedUntil > now) return 'parked';
    if (health.suspectUntil > now) return 'suspect';
    return health.proven ? 'trusted' : 'new';
  }

  /** Milliseconds until a parked key renders again (0 when it is not parked). */
  parkedFor(key: string, now: number): number {
    return Math.max(0, (this.keys.get(key)?.parkedUntil ?? 0) - now);
  }

  /** The render finished (successfully or with a template error): the run of stopped renders ends. */
  finished(key: string, durationMs: number): void {
    const health = this.touch(key);
    health.strikes = 0;
    if (durationMs <= this.options.fastMs) health.proven = true;
  }

  /** The render was stopped; returns true when this parks the key. */
  stopped(key: string, now: number): boolean {
    const health = this.touch(key);
    health.proven = false;
    health.strikes++;
    health.suspectUntil = now + this.options.suspectMs;
    if (health.strikes < this.options.parkAfter) return false;
    health.parkedUntil = now + this.options.parkMs;
    return true;
  }

  /** Consecutive stopped renders of a key. */
  strikes(key: string): number {
    return this.keys.get(key)?.strikes ?? 0;
  }

  private touch(key: string): Health {
    let health = this.keys.get(key);
    if (health) {
      this.keys.delete(key);
    } else {
      health = { proven: false, strikes: 0, suspectUntil: 0, parkedUntil: 0 };
      const oldest = this.keys.size >= (this.options.maxKeys ?? 10_000) ? this.keys.keys().next().value : undefined;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    this.keys.set(key, health);
    return health;
  }
}
