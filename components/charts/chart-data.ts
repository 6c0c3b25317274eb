import type { StatsPoint, StatsRange } from '@/lib/activity-log/delivery-stats';

/** What a chart needs of a stats point, as plain data a client component can receive. */
export interface ChartPoint {
  label: string;
  delivered: number;
  failed: number;
  retrying: number;
  filtered: number;
  p50: number | null;
  p95: number | null;
}

export function toChartPoints(points: readonly StatsPoint[], range: StatsRange): ChartPoint[] {
  return points.map((point) => ({
    label:
      range === '24h'
        ? `${String(point.at.getUTCHours()).padStart(2, '0')}:00`
        : point.at.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }),
    delivered: point.delivered,
    failed: point.failed,
    retrying: point.retrying,
    filtered: point.filtered,
    p50: point.p50,
    p95: point.p95,
  }));
}

/** Delivered / (delivered + failed + retrying) over the points, 0–1; null when nothing was attempted. */
export function successRate(points: readonly Pick<ChartPoint, 'delivered' | 'failed' | 'retrying'>[]): number | null {
  const delivered = points.reduce((sum, point) => sum + point.delivered, 0);
  const attempted = points.reduce((sum, point) => sum + point.delivered + point.failed + point.retrying, 0);
  return attempted > 0 ? delivered / attempted : null;
}

/** Drops a trailing ".0": 2.0 → "2", 1.5 → "1.5". */
function trim(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/**
 * A latency for an axis tick or a tooltip, in the unit that keeps it short: "850 ms", "2 s",
 * "1.5 s", "3 min". An axis of "2000 ms" ticks is wider than the room beside a small chart.
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${trim(ms / 1000, ms < 10_000 ? 2 : 1)} s`;
  if (ms < 3_600_000) return `${trim(ms / 60_000, 1)} min`;
  return `${trim(ms / 3_600_000, 1)} h`;
}

/** A count for an axis tick: "950", "1.2k", "15k", "2.5M". */
export function formatCount(count: number): string {
  if (Math.abs(count) < 1000) return String(count);
  if (Math.abs(count) < 1_000_000) return `${trim(count / 1000, count < 10_000 ? 1 : 0)}k`;
  return `${trim(count / 1_000_000, 1)}M`;
}
