/**
 * Failed sign-ins, counted in memory per email + client address (5 per 15 minutes) and per email
 * alone (20 per 15 minutes, so a client that varies its claimed address gains little).
 * One web process holds the counts; a restart forgets them, which is acceptable for a single admin UI.
 */

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_CLIENT = 5;
export const MAX_FAILURES_PER_EMAIL = 20;

const failures = new Map<string, number[]>();

function recent(key: string, now: number): number[] {
  const kept = (failures.get(key) ?? []).filter((time) => now - time < LOGIN_WINDOW_MS);
  if (kept.length > 0) failures.set(key, kept);
  else failures.delete(key);
  return kept;
}

const keys = (email: string, client: string) => ({
  client: `c|${email.toLowerCase()}|${client}`,
  email: `e|${email.toLowerCase()}`,
});

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function checkLoginAllowed(email: string, client: string, now: number = Date.now()): ThrottleDecision {
  const k = keys(email, client);
  const limits: [string, number][] = [
    [k.client, MAX_FAILURES_PER_CLIENT],
    [k.email, MAX_FAILURES_PER_EMAIL],
  ];
  for (const [key, max] of limits) {
    const times = recent(key, now);
    if (times.length >= max) {
      const oldest = times[times.length - max] ?? now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + LOGIN_WINDOW_MS - now) / 1000)) };
    }
  }
  return { allowed: true };
}

export function recordLoginFailure(email: string, client: string, now: number = Date.now()): void {
  const k = keys(email, client);
  for (const key of [k.client, k.email]) failures.set(key, [...recent(key, now), now]);
  // Bound memory: a flood of distinct emails cannot grow the map without limit.
  if (failures.size > 10_000) {
    for (const key of failures.keys()) {
      recent(key, now);
      if (failures.size <= 5_000) break;
    }
  }
}

export function clearLoginFailures(email: string, client: string): void {
  failures.delete(keys(email, client).client);
}

/** "14 minutes", "40 seconds": how long until the next attempt is allowed. */
export function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export function resetLoginThrottle(): void {
  failures.clear();
}
