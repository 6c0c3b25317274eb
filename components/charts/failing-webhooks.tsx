import Link from 'next/link';
import type { FailingWebhook } from '@/lib/activity-log/delivery-stats';
import { hubPath } from '@/lib/hubs/hub-paths';

/** The webhooks with the most failed attempts in the chosen range (`period`: "the last 30 days"), worst first. */
export function FailingWebhooks({
  hubId,
  webhooks,
  period,
}: {
  hubId: string;
  webhooks: FailingWebhook[];
  period: string;
}) {
  if (webhooks.length === 0) {
    return <p className="text-sm text-zinc-600">No webhook had a failed attempt in {period}.</p>;
  }
  return (
    <table className="w-full text-sm">
      <caption className="sr-only">Webhooks failing most, {period}</caption>
      <thead>
        <tr className="text-left text-xs text-zinc-500">
          <th scope="col" className="pb-2 font-medium">
            Webhook
          </th>
          <th scope="col" className="pb-2 text-right font-medium">
            Failed attempts
          </th>
          <th scope="col" className="pb-2 text-right font-medium">
            Failed share of attempts
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100">
        {webhooks.map((webhook) => (
          <tr key={webhook.webhookId}>
            <td className="py-2">
              <Link
                href={hubPath(hubId, `/webhooks/${webhook.webhookId}/activity`)}
                className="font-medium [overflow-wrap:anywhere] text-indigo-700 hover:underline"
              >
                {webhook.label}
              </Link>
            </td>
            <td className="py-2 text-right tabular-nums">{webhook.failed}</td>
            <td className="py-2 text-right tabular-nums">
              {Math.round((webhook.failed / Math.max(1, webhook.attempted)) * 100)} %
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
