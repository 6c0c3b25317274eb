/**
 * When to try again. `schedule[i]` is the wait before attempt i + 1 (schedule[0] is the first
 * attempt, normally immediate), with ±20 % jitter so retries after an outage do not arrive in step.
 */

export const JITTER = 0.2;

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

export function nextRetry(
  attemptsMade: number,
  schedule: readonly number[],
  retryAfterMs: number | null,
  random: () => number = Math.random,
): RetryDecision {
  const base = schedule[attemptsMade];
  if (base === undefined) return { retry: false };
  if (retryAfterMs !== null) {
    // Honour the receiver within reason: never sooner than planned, never more than twice as late.
    return { retry: true, delayMs: Math.min(Math.max(retryAfterMs, base), base * 2) };
  }
  const factor = 1 - JITTER + 2 * JITTER * random();
  return { retry: true, delayMs: Math.round(base * factor) };
}

/** `Retry-After` as seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}
