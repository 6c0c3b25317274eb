import type { Metadata } from 'next';
import { AutoRefresh } from '@/components/activity-log/auto-refresh';
import { EmitEventForm } from '@/components/events/emit-event-form';
import { EventsList } from '@/components/events/events-list';
import { RoleNote } from '@/components/layout/role-refusal';
import { catalogForClient } from '@/components/test-event/catalog';
import { ButtonLink } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { adminContext } from '@/lib/actions/action';
import { listRecentEvents } from '@/lib/activity-log/recent-events';
import { can } from '@/lib/auth/roles';
import { hubPath } from '@/lib/hubs/hub-paths';

export const metadata: Metadata = { title: 'Events' };
export const dynamic = 'force-dynamic';

export default async function EventsPage({
  params,
  searchParams,
}: {
  params: Promise<{ hubId: string }>;
  searchParams: Promise<{ before?: string }>;
}) {
  const { hub, user } = await adminContext((await params).hubId);
  const before = Number.parseInt((await searchParams).before ?? '', 10);
  const page = await listRecentEvents(hub.id, {
    limit: 25,
    ...(Number.isFinite(before) ? { beforeSequenceId: before } : {}),
  });
  const catalog = catalogForClient();
  // A Viewer reads this page but cannot emit: the page says so rather than offering a form it lacks.
  const canEmit = can(user.role, 'events:send');
  const inFlight = page.items.some((event) =>
    event.deliveries.some((delivery) => delivery.status === 'QUEUED' || delivery.status === 'RETRYING'),
  );
  return (
    <>
      <PageHeader
        title="Events"
        description={
          <>
            Events of hub <span className="font-medium">{hub.label}</span> and the deliveries they fanned out to.
            Content systems post events to the API
            {canEmit ? '; you can emit one here to try your webhooks.' : '.'}
          </>
        }
      />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_24rem] lg:items-start">
        <div className="space-y-4">
          <AutoRefresh active={inFlight && !Number.isFinite(before)} intervalMs={2500} />
          <EventsList
            hubId={hub.id}
            events={page.items}
            labels={new Map(catalog.map((entry) => [entry.name, entry.label]))}
            canEmit={canEmit}
          />
          <nav aria-label="Pages" className="flex justify-between">
            {Number.isFinite(before) ? <ButtonLink href={hubPath(hub.id, '/events')}>Newest</ButtonLink> : <span />}
            {page.nextBefore !== null ? (
              <ButtonLink href={hubPath(hub.id, `/events?before=${page.nextBefore}`)}>Older</ButtonLink>
            ) : (
              <span />
            )}
          </nav>
        </div>
        {canEmit ? <EmitEventForm catalog={catalog} /> : <RoleNote role={user.role} permission="events:send" />}
      </div>
    </>
  );
}
