import Link from 'next/link';
import { StatusBadge } from '@/components/ui/badge';
import { Time } from '@/components/ui/time';
import type { DeliverySummary } from '@/lib/activity-log/list-delivery-summaries';
import { hubPath } from '@/lib/hubs/hub-paths';

export function DeliveryTable({
  hubId,
  webhookId,
  deliveries,
  labels,
}: {
  hubId: string;
  webhookId: string;
  deliveries: DeliverySummary[];
  labels: Map<string, string>;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-sm">
      <table className="w-full min-w-[720px] text-left text-sm">
        <caption className="sr-only">Recent deliveries, newest first</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 text-xs font-medium text-zinc-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-2.5">
              Status
            </th>
            <th scope="col" className="px-4 py-2.5">
              Event
            </th>
            <th scope="col" className="px-4 py-2.5">
              Time
            </th>
            <th scope="col" className="px-4 py-2.5 text-right">
              Attempts
            </th>
            <th scope="col" className="px-4 py-2.5 text-right">
              HTTP
            </th>
            <th scope="col" className="px-4 py-2.5 text-right">
              Duration
            </th>
            <th scope="col" className="px-4 py-2.5">
              <span className="sr-only">Details</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {deliveries.map((delivery) => {
            return (
              <tr key={delivery.id} className="hover:bg-zinc-50" data-testid="delivery-row">
                <td className="px-4 py-3">
                  <StatusBadge status={delivery.status} />
                </td>
                <td className="px-4 py-3">
                  <span className="block font-medium text-zinc-900">
                    {labels.get(delivery.event.name) ?? delivery.event.name}
                  </span>
                  <span className="block font-mono text-xs text-zinc-500">#{delivery.event.sequenceId}</span>
                </td>
                <td className="px-4 py-3 text-zinc-600">
                  <Time date={delivery.createdDate} />
                </td>
                <td className="px-4 py-3 text-right tabular-nums">{delivery.attempts}</td>
                <td className="px-4 py-3 text-right font-mono tabular-nums">
                  {delivery.lastStatusCode ?? <span className="text-zinc-400">—</span>}
                </td>
                <td className="px-4 py-3 text-right tabular-nums text-zinc-600">
                  {delivery.lastDurationMs !== null ? (
                    `${delivery.lastDurationMs} ms`
                  ) : (
                    <span className="text-zinc-400">—</span>
                  )}
                </td>
                <td className="px-4 py-3 text-right">
                  <Link
                    href={hubPath(hubId, `/webhooks/${webhookId}/activity/${delivery.id}`)}
                    className="font-medium whitespace-nowrap text-indigo-700 hover:underline"
                  >
                    View details
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
