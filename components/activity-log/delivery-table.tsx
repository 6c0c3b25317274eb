import Link from 'next/link';
import { StatusBadge } from '@/components/ui/badge';
import { STACKED } from '@/components/ui/stacked-table';
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
    <div className={STACKED.frame}>
      <table className={`${STACKED.table} md:min-w-[720px]`}>
        <caption className="sr-only">Recent deliveries, newest first</caption>
        <thead className={STACKED.head}>
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
        <tbody className={STACKED.body}>
          {deliveries.map((delivery) => {
            return (
              <tr key={delivery.id} className={`hover:bg-zinc-50 ${STACKED.row}`} data-testid="delivery-row">
                <td className={STACKED.bare}>
                  <StatusBadge status={delivery.status} />
                </td>
                <td className={STACKED.bare}>
                  <span className="block font-medium text-zinc-900">
                    {labels.get(delivery.event.name) ?? delivery.event.name}
                  </span>
                  <span className="block font-mono text-xs text-zinc-500">#{delivery.event.sequenceId}</span>
                </td>
                <td className={`${STACKED.cell} text-zinc-600`} data-label="Time">
                  <Time date={delivery.createdDate} />
                </td>
                <td className={`${STACKED.cell} text-right tabular-nums`} data-label="Attempts">
                  {delivery.status === 'FILTERED' ? <span className="text-zinc-400">—</span> : delivery.attempts}
                </td>
                <td className={`${STACKED.cell} text-right font-mono tabular-nums`} data-label="HTTP">
                  {delivery.lastStatusCode ?? <span className="text-zinc-400">—</span>}
                </td>
                <td className={`${STACKED.cell} text-right tabular-nums text-zinc-600`} data-label="Duration">
                  {delivery.lastDurationMs !== null ? (
                    `${delivery.lastDurationMs} ms`
                  ) : (
                    <span className="text-zinc-400">—</span>
                  )}
                </td>
                <td className={`${STACKED.bare} text-right max-md:pt-2 max-md:text-left`}>
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
