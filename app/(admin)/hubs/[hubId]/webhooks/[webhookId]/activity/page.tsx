import type { Metadata } from 'next';
import { ActivityFilters } from '@/components/activity-log/activity-filters';
import { AutoRefresh } from '@/components/activity-log/auto-refresh';
import { DeliveryTable } from '@/components/activity-log/delivery-table';
import { RecoverFailedButton } from '@/components/activity-log/recover-dialog';
import { toChartPoints } from '@/components/charts/chart-data';
import { parseRange } from '@/components/charts/range-switch';
import { WebhookHealthSummary } from '@/components/charts/webhook-health-summary';
import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { deliverySeries } from '@/lib/activity-log/delivery-stats';
import { listDeliverySummaries } from '@/lib/activity-log/list-delivery-summaries';
import { DELIVERY_STATUSES, InvalidCursorError } from '@/lib/activity-log/read-deliveries';
import { EVENT_CATALOG } from '@/lib/events/catalog';
import { hubPath } from '@/lib/hubs/hub-paths';
import { loadWebhook } from '../load';

export const metadata: Metadata = { title: 'Activity log' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 20;

type Search = { status?: string; event?: string; cursor?: string; range?: string };

export default async function ActivityPage({
  params,
  searchParams,
}: {
  params: Promise<{ hubId: string; webhookId: string }>;
  searchParams: Promise<Search>;
}) {
  const { hub, webhook, grants } = await loadWebhook(params);
  const search = await searchParams;
  const status = (DELIVERY_STATUSES as readonly string[]).includes(search.status ?? '') ? (search.status ?? '') : '';
  const event = EVENT_CATALOG.some((entry) => entry.name === search.event) ? (search.event ?? '') : '';
  let cursor = search.cursor;
  const filters = { limit: PAGE_SIZE, ...(status ? { status } : {}), ...(event ? { event } : {}) };
  let page = await listDeliverySummaries(hub.id, webhook.id, { ...filters, cursor }).catch((error: unknown) => {
    // A stale or hand-edited cursor starts again from the newest; anything else is a real error.
    if (error instanceof InvalidCursorError) return null;
    throw error;
  });
  if (!page) {
    cursor = undefined;
    page = await listDeliverySummaries(hub.id, webhook.id, filters);
  }
  const range = parseRange(search.range);
  const series = toChartPoints(await deliverySeries({ hubId: hub.id, webhookId: webhook.id }, range), range);
  const labels = new Map(EVENT_CATALOG.map((entry) => [entry.name, entry.label]));
  const query = (extra: Record<string, string>) => {
    const params = new URLSearchParams({ ...(status ? { status } : {}), ...(event ? { event } : {}), ...extra });
    const text = params.toString();
    return hubPath(hub.id, `/webhooks/${webhook.id}/activity${text ? `?${text}` : ''}`);
  };
  const inFlight = page.items.some((item) => item.status === 'QUEUED' || item.status === 'RETRYING');

  return (
    <div className="space-y-4">
      <WebhookHealthSummary points={series} range={range} href={(next) => query({ range: next })} />
      <h2 id="recent-deliveries" className="pt-2 text-base font-semibold text-zinc-900">
        Recent deliveries
      </h2>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <ActivityFilters
          status={status}
          event={event}
          events={EVENT_CATALOG.map((entry) => ({ name: entry.name, label: entry.label }))}
        />
        <div className="flex flex-wrap items-center gap-2">
          {grants['deliveries:redeliver'] ? (
            <RecoverFailedButton webhookId={webhook.id} active={webhook.active} />
          ) : null}
          <ButtonLink href={query({})} size="sm" variant="ghost" prefetch={false}>
            Refresh
          </ButtonLink>
        </div>
      </div>
      <AutoRefresh active={inFlight && !cursor} />
      {page.items.length === 0 ? (
        <EmptyState title={status || event ? 'No deliveries match' : 'No deliveries yet'}>
          {status || event
            ? 'Try another status or event.'
            : 'Every event this webhook subscribes to appears here, sent or filtered. Send a test event to see one.'}
        </EmptyState>
      ) : (
        <DeliveryTable hubId={hub.id} webhookId={webhook.id} deliveries={page.items} labels={labels} />
      )}
      <nav aria-label="Pages" className="flex items-center justify-between">
        {cursor ? <ButtonLink href={query({})}>Newest</ButtonLink> : <span />}
        {page.nextCursor ? <ButtonLink href={query({ cursor: page.nextCursor })}>Older</ButtonLink> : <span />}
      </nav>
    </div>
  );
}
