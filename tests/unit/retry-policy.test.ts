import { describe, expect, it } from 'vitest';
import { parseDuration, parseRetrySchedule } from '../../lib/config/durations';
import { nextRetry, parseRetryAfter } from '../../lib/delivery/retry-policy';

describe('retry schedule', () => {
  it('parses durations and schedules', () => {
    expect(parseRetrySchedule('0,30s,2m,10m')).toEqual([0, 30_000, 120_000, 600_000]);
    expect(parseDuration('5h')).toBe(18_000_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(() => parseRetrySchedule('0,soon')).toThrow('"soon" is not a duration');
  });

  it('applies ±20 % jitter and stops when the schedule is exhausted', () => {
    const schedule = [0, 10_000];
    expect(nextRetry(1, schedule, null, () => 0)).toEqual({ retry: true, delayMs: 8000 });
    expect(nextRetry(1, schedule, null, () => 1)).toEqual({ retry: true, delayMs: 12_000 });
    expect(nextRetry(2, schedule, null)).toEqual({ retry: false });
  });

  it('clamps Retry-After between the scheduled delay and twice it', () => {
    const schedule = [0, 10_000];
    expect(nextRetry(1, schedule, 1000)).toEqual({ retry: true, delayMs: 10_000 });
    expect(nextRetry(1, schedule, 15_000)).toEqual({ retry: true, delayMs: 15_000 });
    expect(nextRetry(1, schedule, 3_600_000)).toEqual({ retry: true, delayMs: 20_000 });
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});
