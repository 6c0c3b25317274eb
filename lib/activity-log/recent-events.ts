import { prisma } from '../db/client';
import type { DeliveryStatus } from './read-deliveries';

export interface RecentEvent {
  id: string;
  sequenceId: number;
  name: string;
  requestId: string;
  createdDate: Date;
  deliveries: { id: string; webhookId: string; webhookLabel: string; status: DeliveryStatus }[];
}

/** The hub's latest events, newest first, each with the deliveries it fanned out to. */
export async function listRecentEvents(
  hubId: string,
  options: { limit?: number; beforeSequenceId?: number } = {},
): Promise<{ items: RecentEvent[]; nextBefore: number | null }> {
  const limit = Math.min(Math.max(options.limit ?? 25, 1), 100);
  const rows = await prisma().event.findMany({
    where: {
      hubId,
      ...(options.beforeSequenceId !== undefined ? { sequenceId: { lt: BigInt(options.beforeSequenceId) } } : {}),
    },
    orderBy: { sequenceId: 'desc' },
    take: limit + 1,
    select: {
      id: true,
      sequenceId: true,
      name: true,
      requestId: true,
      createdDate: true,
      deliveries: {
        orderBy: { createdDate: 'asc' },
        select: { id: true, webhookId: true, status: true, webhook: { select: { label: true } } },
      },
    },
  });
  const items = rows.slice(0, limit).map((row) => ({
    id: row.id,
    sequenceId: Number(row.sequenceId),
    name: row.name,
    requestId: row.requestId,
    createdDate: row.createdDate,
    deliveries: row.deliveries.map((delivery) => ({
      id: delivery.id,
      webhookId: delivery.webhookId,
      webhookLabel: delivery.webhook.label,
      status: delivery.status,
    })),
  }));
  const last = items.at(-1);
  return { items, nextBefore: rows.length > limit && last ? last.sequenceId : null };
}
