import type { StatsRange } from '@/lib/activity-log/delivery-stats';
import { type ChartPoint, successRate } from './chart-data';
import { DeliveriesChart } from './deliveries-chart';
import { RangeSwitch } from './range-switch';

/** One webhook's deliveries over time and its success rate, above its activity log. */
export function WebhookHealthSummary({
  points,
  range,
  href,
}: {
  points: ChartPoint[];
  range: StatsRange;
  href: (range: StatsRange) => string;
}) {
  const rate = successRate(points);
  const per = range === '24h' ? 'hour' : 'day';
  return (
    <section
      aria-labelledby="webhook-health-heading"
      className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm"
    >
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="webhook-health-heading" className="text-sm font-semibold text-zinc-900">
          Deliveries per {per}
          <span className="ml-3 font-normal text-zinc-600">
            Attempt success rate{' '}
            <span data-testid="success-rate" className="font-semibold tabular-nums text-zinc-900">
              {rate === null ? '—' : `${(rate * 100).toFixed(1)} %`}
            </span>
          </span>
        </h2>
        <RangeSwitch current={range} href={href} />
      </div>
      <DeliveriesChart points={points} name={`Deliveries per ${per} of this webhook`} height={170} />
    </section>
  );
}
