import { describe, expect, it } from 'vitest';
import { describeWait, LoginThrottle } from '../../../lib/auth/login-throttle';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** A failed attempt at `now`, asserting it was allowed to start. */
function fail(throttle: LoginThrottle, email: string, address: string, now: number): void {
  expect(throttle.begin(email, address, now)).toEqual({ allowed: true });
  throttle.finish(email, address, 'failed', now);
}

describe('sign-in throttle', () => {
  it('gives 5 free failures per email and address, then a delay that doubles up to 15 minutes', () => {
    const throttle = new LoginThrottle();
    let now = 1_000_000;
    for (let i = 0; i < 5; i++) fail(throttle, 'A@example.com', '10.0.0.1', now++);
    expect(throttle.begin('a@example.com', '10.0.0.1', now)).toMatchObject({ allowed: false, retryAfterSeconds: 30 });

    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const refused = throttle.begin('a@example.com', '10.0.0.1', now);
      if (refused.allowed) throw new Error('expected a wait');
      waits.push(refused.retryAfterSeconds);
      now += refused.retryAfterSeconds * SECOND;
      fail(throttle, 'a@example.com', '10.0.0.1', now);
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('counts refusals per address in a window that the next allowed attempt closes', () => {
    const throttle = new LoginThrottle({ freeFailuresPerAddress: 2 });
    fail(throttle, 'a@example.com', '10.0.0.2', 1_000);
    fail(throttle, 'b@example.com', '10.0.0.2', 1_001);
    const windows = [2_000, 2_001, 2_002].map((now, i) => throttle.begin(`c${i}@example.com`, '10.0.0.2', now));
    expect(windows.map((decision) => (decision.allowed ? null : decision.window))).toEqual([
      { address: '10.0.0.2', startedAt: 2_000, refused: 1 },
      { address: '10.0.0.2', startedAt: 2_000, refused: 2 },
      { address: '10.0.0.2', startedAt: 2_000, refused: 3 },
    ]);
    fail(throttle, 'd@example.com', '10.0.0.2', 1_001 + 30 * SECOND);
    expect(throttle.begin('e@example.com', '10.0.0.2', 40 * SECOND)).toMatchObject({
      allowed: false,
      window: { startedAt: 40 * SECOND, refused: 1 },
    });
  });

  it('never locks the owner out from an address that has not failed', () => {
    const throttle = new LoginThrottle();
    // An attacker guessing the admin's password from 200 addresses, each until it is slowed down.
    for (let host = 0; host < 200; host++) {
      for (let i = 0; i < 5; i++) fail(throttle, 'admin@example.com', `10.1.${host}.1`, 5_000 + i);
    }
    expect(throttle.begin('admin@example.com', '192.168.7.7', 6_000)).toEqual({ allowed: true });
  });

  it('slows an address that sprays many emails', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 20; i++) fail(throttle, `user-${i}@example.com`, '10.0.0.9', 1_000);
    expect(throttle.begin('fresh@example.com', '10.0.0.9', 1_001).allowed).toBe(false);
    expect(throttle.begin('fresh@example.com', '10.0.0.10', 1_001).allowed).toBe(true);
  });

  it('counts attempts when they start, so parallel guesses cannot all slip through', () => {
    const throttle = new LoginThrottle();
    const started = Array.from({ length: 8 }, () => throttle.begin('a@example.com', '10.0.0.1', 1_000).allowed);
    expect(started).toEqual([true, true, true, true, true, false, false, false]);
  });

  it('forgets failures on a successful sign-in, and a success does not count against the address', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 4; i++) fail(throttle, 'a@example.com', 'c', 1);
    expect(throttle.begin('a@example.com', 'c', 2).allowed).toBe(true);
    throttle.finish('a@example.com', 'c', 'succeeded', 2);
    for (let i = 0; i < 4; i++) fail(throttle, 'a@example.com', 'c', 3);
    expect(throttle.begin('a@example.com', 'c', 4).allowed).toBe(true);
    throttle.finish('a@example.com', 'c', 'errored', 4);
    // An error (database down) is not a failed guess either.
    expect(throttle.begin('a@example.com', 'c', 5).allowed).toBe(true);
  });

  it('forgets a key nobody failed on for an hour', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 12; i++) fail(throttle, 'a@example.com', 'c', i * 20 * MINUTE);
    const last = 11 * 20 * MINUTE;
    expect(throttle.begin('a@example.com', 'c', last + MINUTE)).toMatchObject({
      allowed: false,
      retryAfterSeconds: 840,
    });
    // An hour of quiet: the count starts again, with its free failures.
    const later = last + 61 * MINUTE;
    for (let i = 0; i < 5; i++) fail(throttle, 'a@example.com', 'c', later);
    expect(throttle.begin('a@example.com', 'c', later).allowed).toBe(false);
  });

  it('holds a bounded number of entries, dropping the least recently used', () => {
    const throttle = new LoginThrottle({ maxEntries: 100 });
    for (let i = 0; i < 4; i++) fail(throttle, 'old@example.com', '10.9.9.1', 1);
    for (let i = 0; i < 1000; i++) {
      fail(throttle, `spray-${i}@example.com`, `10.2.${i >> 8}.${i & 255}`, 1);
      if (i >= 960 && i < 964) fail(throttle, 'kept@example.com', '10.9.9.2', 1);
      if (i === 990) fail(throttle, 'kept@example.com', '10.9.9.2', 1);
    }
    expect(throttle.size).toBeLessThanOrEqual(100);
    // Recently failed: still counted (5 failures, slowed down). Long untouched: dropped.
    expect(throttle.begin('kept@example.com', '10.9.9.2', 2).allowed).toBe(false);
    fail(throttle, 'old@example.com', '10.9.9.1', 2);
    expect(throttle.begin('old@example.com', '10.9.9.1', 2).allowed).toBe(true);
  });

  it('describes the wait', () => {
    expect(describeWait(1)).toBe('1 second');
    expect(describeWait(40)).toBe('40 seconds');
    expect(describeWait(61)).toBe('2 minutes');
    expect(describeWait(60)).toBe('1 minute');
  });
});
