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
