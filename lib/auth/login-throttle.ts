/**
 * Failed sign-ins slow down the address they come from, progressively, instead of locking an
 * account: per email + client address (5 free failures) and per client address across emails
 * (20, against spraying many emails). Past the free failures each attempt must wait 30 s, then
 * 1, 2, 4, 8 and at most 15 minutes after the previous one. Nothing is counted per email alone,
 * so a stranger's failures never keep the owner out from an address that has not failed.
 *
 * Attempts are counted when they start, so parallel guesses cannot all pass the check before the
 * first one fails. Counts live in memory in the web process, bounded (least recently used entries
 * go first); a key nobody failed on for an hour is forgotten.
 *
 * A refused attempt is counted too, per address and "refusal window": the run of refusals since
 * the address last had an attempt allowed. The audit log keeps one summary row per window
 * (lib/auth/sign-in-audit.ts) instead of a row per refusal, so a spraying address cannot grow
 * the log faster than the throttle lets it try.
 */

export interface ThrottleOptions {
  freeFailuresPerClient: number;
  freeFailuresPerAddress: number;
  baseDelayMs: number;
  maxDelayMs: number;
  forgetAfterMs: number;
  maxEntries: number;
}

export const DEFAULT_THROTTLE_OPTIONS: ThrottleOptions = {
  freeFailuresPerClient: 5,
  freeFailuresPerAddress: 20,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxEntries: 10_000,
};

/** Which run of refusals from one address a refusal belongs to, and how many it holds so far. */
export interface RefusalWindow {
  address: string;
  /** When the window's first refusal happened: with the address, it names the window. */
  startedAt: number;
  /** Refusals in this window, this one included. */
  refused: number;
}

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; window: RefusalWindow };

export type AttemptOutcome = 'succeeded' | 'failed' | 'errored';

interface Entry {
  failures: number;
  /** Attempts started and not yet finished: they count as failures until they end. */
  pending: number;
  lastAt: number;
  /** Per-address entries only: refusals since an attempt from the address was last allowed. */
  refused?: number;
  refusedSince?: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly options: ThrottleOptions;

  constructor(options: Partial<ThrottleOptions> = {}) {
    this.options = { ...DEFAULT_THROTTLE_OPTIONS, ...options };
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether an attempt may start now; when it may, it is counted until `finish`. */
  begin(email: string, address: string, now: number = Date.now()): ThrottleDecision {
    const keys = this.keys(email, address);
    let wait = 0;
    for (const [key, free] of keys) {
      const entry = this.current(key, now);
      if (entry) wait = Math.max(wait, this.waitFor(entry, free, now));
    }
    if (wait > 0)
      return { allowed: false, retryAfterSeconds: Math.ceil(wait / 1000), window: this.refuse(address, now) };
    for (const [key] of keys) {
      const entry = this.current(key, now) ?? { failures: 0, pending: 0, lastAt: now };
      entry.pending++;
      entry.lastAt = now;
      // An allowed attempt closes the address's refusal window: the next refusal opens another.
      entry.refused = undefined;
      entry.refusedSince = undefined;
      this.store(key, entry);
    }
    return { allowed: true };
  }

  /** Ends an attempt `begin` allowed. A success forgets this email's failures from this address. */
  finish(email: string, address: string, outcome: AttemptOutcome, now: number = Date.now()): void {
    const [pair, single] = this.keys(email, address);
    for (const [key] of [pair, single]) {
      const entry = this.entries.get(key);
      if (!entry) continue;
      entry.pending = Math.max(0, entry.pending - 1);
      if (outcome === 'failed') {
        entry.failures++;
        entry.lastAt = now;
      }
      if (entry.failures === 0 && entry.pending === 0) this.entries.delete(key);
      else this.store(key, entry);
    }
    if (outcome === 'succeeded' && this.entries.get(pair[0])?.pending === 0) this.entries.delete(pair[0]);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Counts a refusal in the address's current window (opening one if none is open). */
  private refuse(address: string, now: number): RefusalWindow {
    const key = this.addressKey(address);
    // Refusals do not touch lastAt: waiting out the delay must stay possible.
    const entry = this.current(key, now) ?? { failures: 0, pending: 0, lastAt: now };
    entry.refusedSince ??= now;
    entry.refused = (entry.refused ?? 0) + 1;
    this.store(key, entry);
    return { address, startedAt: entry.refusedSince, refused: entry.refused };
  }

  private addressKey(address: string): string {
    return `a|${address}`;
  }

  private keys(email: string, address: string): [[string, number], [string, number]] {
    return [
      [`p|${email.trim().toLowerCase()}|${address}`, this.options.freeFailuresPerClient],
      [this.addressKey(address), this.options.freeFailuresPerAddress],
    ];
  }

  private current(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.pending === 0 && now - entry.lastAt > this.options.forgetAfterMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private waitFor(entry: Entry, free: number, now: number): number {
    const counted = entry.failures + entry.pending;
    if (counted < free) return 0;
    const delay = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.min(30, counted - free));
    return entry.lastAt + delay - now;
  }

  /** Re-inserts so the Map's order is least recently used first, then trims to the bound. */
  private store(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/** "14 minutes", "40 seconds": how long until the next attempt is allowed. */
export function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
