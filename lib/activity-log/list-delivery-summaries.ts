import { prisma } from '../db/client';
import { NotFoundError, parseInput } from '../errors';
import {
  type DeliveryStatus,
  decodeCursor,
  encodeCursor,
  pageIds,
  type TDeliveryQuery,
  ZDeliveryQuery,
} from './read-deliveries';

/** A row of the activity list: what it shows, without any request or response body or headers. */
export interface DeliverySummary {
  id: string;
  status: DeliveryStatus;
  event: { name: string; sequenceId: number };
  createdDate: Date;
  lastStatusCode: number | null;
  /** Attempts made, in every attempt chain. */
  attempts: number;
  /** How long the latest attempt took; null before the first. */
  lastDurationMs: number | null;
}

export interface DeliverySummaryPage {
  items: DeliverySummary[];
  nextCursor: string | null;
}

/**
 * The activity list of a webhook, paged like listDeliveries (same filters, same cursors), reading
 * per delivery only its status, its event's name, an attempt count and the latest attempt's
 * duration: each attempt keeps headers and a response body of up to 64 KB the list never shows.
 */
export async function listDeliverySummaries(
  hubId: string,
  webhookId: string,
  query: TDeliveryQuery,
): Promise<DeliverySummaryPage> {
  const q = parseInput(ZDeliveryQuery, query);
  const webhook = await prisma().webhook.findFirst({ where: { id: webhookId, hubId }, select: { id: true } });
  if (!webhook) throw new NotFoundError('Webhook', webhookId);
  const ids = await pageIds(webhookId, q, q.cursor ? decodeCursor(q.cursor) : null);
  const rows = await prisma().delivery.findMany({
    where: { id: { in: ids.slice(0, q.limit) }, hubId, webhookId },
    select: {
      id: true,
      status: true,
      createdDate: true,
      lastStatusCode: true,
      event: { select: { name: true, sequenceId: true } },
      _count: { select: { attempts: true } },
      attempts: { select: { durationMs: true }, orderBy: [{ startedAt: 'desc' }, { number: 'desc' }], take: 1 },
    },
    orderBy: { id: 'desc' },
  });
  const items = rows.map((row) => ({
    id: row.id,
    status: row.status,
    event: { name: row.event.name, sequenceId: Number(row.event.sequenceId) },
    createdDate: row.createdDate,
    lastStatusCode: row.lastStatusCode,
    attempts: row._count.attempts,
    lastDurationMs: row.attempts[0]?.durationMs ?? null,
  }));
  const last = rows.at(-1);
  return { items, nextCursor: ids.length > q.limit && last ? encodeCursor(last) : null };
}
