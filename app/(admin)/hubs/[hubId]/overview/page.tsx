import type { Metadata } from 'next';
import { type ChartPoint, successRate, toChartPoints } from '@/components/charts/chart-data';
import { DeliveriesChart } from '@/components/charts/deliveries-chart';
import { FailingWebhooks } from '@/components/charts/failing-webhooks';
import { LatencyChart } from '@/components/charts/latency-chart';
import { parseRange, RangeSwitch } from '@/components/charts/range-switch';
import { Section } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { adminContext } from '@/lib/actions/action';
import { deliverySeries, webhooksFailingMost } from '@/lib/activity-log/delivery-stats';
import { hubPath } from '@/lib/hubs/hub-paths';

export const metadata: Metadata = { title: 'Overview' };
export const dynamic = 'force-dynamic';

/**
 * One meaning per label: a delivery is one event sent to one webhook (delivered, or failed once no
 * retry is left); an attempt is one request of it. The same words label the chart and the table.
 */
function Totals({ points }: { points: ChartPoint[] }) {
  const sum = (key: 'delivered' | 'failed' | 'retrying' | 'filtered') =>
    points.reduce((total, point) => total + point[key], 0);
  const rate = successRate(points);
  const figures = [
    { label: 'Delivered', hint: 'Deliveries that got a 2xx', value: sum('delivered') },
    { label: 'Failed deliveries', hint: 'Given up after the last retry', value: sum('failed') },
    { label: 'Failed attempts', hint: 'Retried or last, no 2xx', value: sum('failed') + sum('retrying') },
    { label: 'Filtered', hint: 'Not sent: the filters did not match', value: sum('filtered') },
  ].map((figure) => ({ ...figure, value: figure.value.toLocaleString('en') }));
  figures.push({
    label: 'Attempt success rate',
    hint: 'Attempts that got a 2xx',
    value: rate === null ? '—' : `${(rate * 100).toFixed(1)} %`,
  });
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
      {figures.map((figure) => (
        <div key={figure.label} className="rounded-lg border border-zinc-200 bg-white px-4 py-3 shadow-sm">
          <dt className="text-xs font-medium text-zinc-600">{figure.label}</dt>
          <dd className="mt-1 text-xl font-semibold tabular-nums text-zinc-900" data-testid={`total-${figure.label}`}>
            {figure.value}
          </dd>
          <dd className="mt-0.5 text-xs text-zinc-500">{figure.hint}</dd>
        </div>
      ))}
    </dl>
  );
}

export default async function OverviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ hubId: string }>;
  searchParams: Promise<{ range?: string }>;
}) {
  const { hub } = await adminContext((await params).hubId);
  const range = parseRange((await searchParams).range);
  const [series, failing] = await Promise.all([
    deliverySeries({ hubId: hub.id }, range),
    webhooksFailingMost(hub.id, range),
  ]);
  const points = toChartPoints(series, range);
  const per = range === '24h' ? 'hour' : 'day';
  const period = range === '24h' ? 'the last 24 hours' : 'the last 30 days';
  return (
    <>
      <PageHeader
        title="Overview"
        description={
          <>
            How the webhooks of hub <span className="font-medium">{hub.label}</span> are doing (times in UTC).
          </>
        }
        actions={<RangeSwitch current={range} href={(next) => hubPath(hub.id, `/overview?range=${next}`)} />}
      />
      <div className="space-y-6">
        <Totals points={points} />
        <Section
          title={`Deliveries per ${per}`}
          description="Deliveries by outcome, failed attempts that will be retried, and events filtered out."
        >
          <DeliveriesChart points={points} name={`Deliveries per ${per}`} />
        </Section>
        <Section title="Latency" description="From the event's arrival to the endpoint's 2xx answer.">
          <LatencyChart points={points} name={`Emit to 2xx latency per ${per}`} />
        </Section>
        <Section
          id="failing-most"
          title="Failing most"
          description={`Webhooks with the most failed attempts in ${period}.`}
        >
          <FailingWebhooks hubId={hub.id} webhooks={failing} period={period} />
        </Section>
      </div>
    </>
  );
}
