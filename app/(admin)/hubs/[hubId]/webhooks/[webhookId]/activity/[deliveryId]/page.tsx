import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AutoRefresh } from '@/components/activity-log/auto-refresh';
import { DeliveryDetails } from '@/components/activity-log/delivery-details';
import { RedeliverButton } from '@/components/activity-log/redeliver-button';
import { StatusBadge } from '@/components/ui/badge';
import { Time } from '@/components/ui/time';
import { getDelivery } from '@/lib/activity-log/read-deliveries';
import { NotFoundError } from '@/lib/errors';
import { eventDefinition } from '@/lib/events/catalog';
import { hubPath } from '@/lib/hubs/hub-paths';
import { loadWebhook } from '../../load';

export const metadata: Metadata = { title: 'Delivery' };
export const dynamic = 'force-dynamic';

export default async function DeliveryPage({
  params,
}: {
  params: Promise<{ hubId: string; webhookId: string; deliveryId: string }>;
}) {
  const { deliveryId } = await params;
  const { hub, webhook, grants } = await loadWebhook(params);
  const delivery = await getDelivery(hub.id, webhook.id, deliveryId).catch((error: unknown) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const inFlight = delivery.status === 'QUEUED' || delivery.status === 'RETRYING';
  return (
    <div className="space-y-5">
      <AutoRefresh active={inFlight} />
      <Link
        href={hubPath(hub.id, `/webhooks/${webhook.id}/activity`)}
        className="text-sm text-zinc-600 hover:text-zinc-900 hover:underline"
      >
        ← All deliveries
      </Link>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3" aria-live="polite">
          <h2 className="text-lg font-semibold">
            {eventDefinition(delivery.event.name)?.label ?? delivery.event.name}
          </h2>
          <span data-testid="delivery-status">
            <StatusBadge status={delivery.status} />
          </span>
          <span className="text-sm text-zinc-500">
            <Time date={delivery.createdDate} />
          </span>
        </div>
        {grants['deliveries:redeliver'] ? <RedeliverButton webhookId={webhook.id} deliveryId={delivery.id} /> : null}
      </div>
      <DeliveryDetails delivery={delivery} />
    </div>
  );
}
