import Link from 'next/link';
import { StatusBadge } from '@/components/ui/badge';
import { DataTable } from '@/components/ui/data-table';
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
    <DataTable
      caption="Recent deliveries, newest first"
      minWidth="md:min-w-[720px]"
      columns={[
        { label: 'Status' },
        { label: 'Event' },
        { label: 'Time' },
        { label: 'Attempts', className: 'text-right' },
        { label: 'HTTP', className: 'text-right' },
        { label: 'Duration', className: 'text-right' },
        { label: 'Details', hidden: true },
      ]}
    >
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
    </DataTable>
  );
}
