import Link from 'next/link';
import { StatusBadge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { Time } from '@/components/ui/time';
import type { RecentEvent } from '@/lib/activity-log/recent-events';
import { hubPath } from '@/lib/hubs/hub-paths';

export function EventsList({
  hubId,
  events,
  labels,
  canEmit,
}: {
  hubId: string;
  events: RecentEvent[];
  labels: Map<string, string>;
  /** Whether this user has the form beside the list (a Viewer has not). */
  canEmit: boolean;
}) {
  if (events.length === 0) {
    return (
      <EmptyState title="No events yet">
        Events arrive from your content system through the API (POST /v2/content/hubs/…/events)
        {canEmit ? ', or from the form here.' : '.'}
      </EmptyState>
    );
  }
  return (
    <ul
      className="divide-y divide-zinc-100 rounded-lg border border-zinc-200 bg-white shadow-sm"
      aria-label="Recent events"
    >
      {events.map((event) => (
        <li key={event.id} className="px-4 py-3" data-testid="event-row">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <p className="min-w-0">
              <span className="mr-2 font-mono text-xs text-zinc-500">#{event.sequenceId}</span>
              <span className="font-medium text-zinc-900">{labels.get(event.name) ?? event.name}</span>
            </p>
            <span className="text-xs text-zinc-500">
              <Time date={event.createdDate} />
            </span>
          </div>
          <p className="mt-0.5 truncate font-mono text-[11px] text-zinc-400" title={event.id}>
            {event.name} · {event.id}
          </p>
          {event.deliveries.length === 0 ? (
            <p className="mt-1.5 text-xs text-zinc-500">No webhook subscribes to this event.</p>
          ) : (
            <ul className="mt-2 flex flex-wrap gap-2" aria-label="Deliveries">
              {event.deliveries.map((delivery) => (
                <li key={delivery.id}>
                  <Link
                    href={hubPath(hubId, `/webhooks/${delivery.webhookId}/activity/${delivery.id}`)}
                    className="inline-flex items-center gap-2 rounded-md border border-zinc-200 px-2 py-1 text-xs hover:bg-zinc-50"
                  >
                    <span className="max-w-48 truncate font-medium text-zinc-800">{delivery.webhookLabel}</span>
                    <StatusBadge status={delivery.status} />
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
