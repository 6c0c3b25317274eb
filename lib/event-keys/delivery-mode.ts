/**
 * A webhook's delivery mode, as the emit and the webhook API both need it (plain data, no I/O).
 * `every`: each event is delivered (the default). `latest`: only the newest version per key is;
 * a newer event for the same key supersedes what is still waiting, and an optional debounce holds
 * a key's delivery until the key has been quiet that long.
 */

export const DELIVERY_MODES = ['every', 'latest'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export const MAX_DEBOUNCE_SECONDS = 3600;

/**
 * A debounced key waits at most this many debounce lengths from the first save of a burst, so a key
 * saved every second for an hour still delivers every few minutes rather than never.
 */
export const MAX_WAIT_FACTOR = 10;

export interface DeliverySettings {
  mode: DeliveryMode;
  debounceSeconds: number;
  /** JSONPath of the key; null: each event's default path (see event-key.ts). */
  key: string | null;
}

export const EVERY_DELIVERY: DeliverySettings = { mode: 'every', debounceSeconds: 0, key: null };

/**
 * How long a key's delivery waits after a save (trailing edge), and at most after the key began
 * waiting. The emit statement makes a delivery due at
 * min(now + debounceMs, pending_since + maxWaitMs) (lib/outbox/enqueue.ts).
 */
export function debounceWindow(debounceSeconds: number): { debounceMs: number; maxWaitMs: number } {
  const debounceMs = Math.max(0, Math.round(debounceSeconds * 1000));
  return { debounceMs, maxWaitMs: MAX_WAIT_FACTOR * debounceMs };
}
