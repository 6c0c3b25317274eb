import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration } from '../../../components/charts/chart-data';

describe('chart axes fit beside a small chart', () => {
  it('writes latencies in the unit that keeps them short', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(2000)).toBe('2 s');
    expect(formatDuration(1500)).toBe('1.5 s');
    expect(formatDuration(2345)).toBe('2.35 s');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(180_000)).toBe('3 min');
    expect(formatDuration(5_400_000)).toBe('1.5 h');
    // No tick is longer than "999 ms".
    for (const ms of [1, 999, 1000, 9999, 59_999, 60_000, 3_599_999, 86_400_000]) {
      expect(formatDuration(ms).length).toBeLessThanOrEqual(7);
    }
  });

  it('writes large counts in thousands and millions', () => {
    expect(formatCount(950)).toBe('950');
    expect(formatCount(1200)).toBe('1.2k');
    expect(formatCount(15_000)).toBe('15k');
    expect(formatCount(2_500_000)).toBe('2.5M');
  });
});
