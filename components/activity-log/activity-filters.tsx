'use client';

import { usePathname, useRouter } from 'next/navigation';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/field';

const STATUSES = [
  ['', 'All statuses'],
  ['DELIVERED', 'Delivered'],
  ['FAILED', 'Failed'],
  ['RETRYING', 'Retrying'],
  ['QUEUED', 'Pending'],
  ['FILTERED', 'Not sent (filtered)'],
  ['SUPERSEDED', 'Not sent (superseded)'],
] as const;

/** Status and event filters of the activity log; they live in the URL, so a filtered view can be shared. */
export function ActivityFilters({
  status,
  event,
  events,
}: {
  status: string;
  event: string;
  events: { name: string; label: string }[];
}) {
  const router = useRouter();
  const pathname = usePathname();
  const go = (next: { status: string; event: string }) => {
    const params = new URLSearchParams();
    if (next.status) params.set('status', next.status);
    if (next.event) params.set('event', next.event);
    const query = params.toString();
    router.push(query ? `${pathname}?${query}` : pathname);
  };
  return (
    <form
      method="get"
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        go({ status: String(data.get('status') ?? ''), event: String(data.get('event') ?? '') });
      }}
    >
      <div>
        <label htmlFor="filter-status" className="mb-1 block text-xs font-medium text-zinc-600">
          Status
        </label>
        <Select
          id="filter-status"
          name="status"
          defaultValue={status}
          onChange={(e) => go({ status: e.target.value, event })}
          className="w-48"
        >
          {STATUSES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </div>
      <div>
        <label htmlFor="filter-event" className="mb-1 block text-xs font-medium text-zinc-600">
          Event
        </label>
        <Select
          id="filter-event"
          name="event"
          defaultValue={event}
          onChange={(e) => go({ status, event: e.target.value })}
          className="w-60"
        >
          <option value="">All events</option>
          {events.map((entry) => (
            <option key={entry.name} value={entry.name}>
              {entry.label}
            </option>
          ))}
        </Select>
      </div>
      <noscript>
        <Button type="submit">Apply</Button>
      </noscript>
      {status || event ? (
        <Button variant="ghost" onClick={() => go({ status: '', event: '' })}>
          Clear filters
        </Button>
      ) : null}
    </form>
  );
}
