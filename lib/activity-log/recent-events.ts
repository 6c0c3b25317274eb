import { database, prisma } from '../db/client';
import { type Param, param, sql, statement } from '../db/sql';
import { uuidFloor, uuidTime } from './partitions';
import type { DeliveryStatus } from './read-deliveries';

export interface RecentEvent {
  id: string;
  sequenceId: number;
  name: string;
  requestId: string;
  createdDate: Date;
  deliveries: { id: string; webhookId: string; webhookLabel: string; status: DeliveryStatus }[];
}

// A delivery's id starts with its event's time (lib/outbox/delivery-id.ts). Rows written before
// the log was partitioned have ids of their own, a few ms after their event's: a minute covers them.
const DELIVERY_ID_SLACK_MS = 60_000;

interface DeliveryRow {
  id: string;
  event_id: string;
  webhook_id: string;
  status: DeliveryStatus;
  label: string;
}

const ids = () => param<readonly string[]>('uuid[]');

// Planned with the ranges, so each event's lookup is pruned to its own day.
const EVENT_DELIVERIES = statement<
  { ids: Param<readonly string[]>; lows: Param<readonly string[]>; highs: Param<readonly string[]> },
  DeliveryRow
>(
  'activity-event-deliveries',
  { ids: ids(), lows: ids(), highs: ids() },
  (p) => sql`SELECT d.id, d.event_id, d.webhook_id, d.status::text AS status, w.label
       FROM unnest(${p.ids}, ${p.lows}, ${p.highs}) AS e(id, lo, hi)
       JOIN deliveries d ON d.event_id = e.id AND d.id >= e.lo AND d.id < e.hi
       JOIN webhooks w ON w.id = d.webhook_id
      ORDER BY d.created_date, d.id`,
  { planEachRun: true },
);

/**
 * The deliveries of some events. Each event's are looked up within its own id range, so the
 * lookup reaches only that event's day partition.
 */
async function deliveriesOf(eventIds: string[]): Promise<Map<string, RecentEvent['deliveries']>> {
  const byEvent = new Map<string, RecentEvent['deliveries']>();
  if (eventIds.length === 0) return byEvent;
  const { rows } = await EVENT_DELIVERIES.run(database().pool, {
    ids: eventIds,
    lows: eventIds.map((id) => uuidFloor(uuidTime(id))),
    highs: eventIds.map((id) => uuidFloor(uuidTime(id) + DELIVERY_ID_SLACK_MS)),
  });
  for (const row of rows) {
    const list = byEvent.get(row.event_id) ?? [];
    list.push({ id: row.id, webhookId: row.webhook_id, webhookLabel: row.label, status: row.status });
    byEvent.set(row.event_id, list);
  }
  return byEvent;
}

/** The hub's latest events, newest first, each with the deliveries it fanned out to. */
export async function listRecentEvents(
  hubId: string,
  options: { limit?: number; beforeSequenceId?: number } = {},
): Promise<{ items: RecentEvent[]; nextBefore: number | null }> {
  const limit = Math.min(Math.max(options.limit ?? 25, 1), 100);
  // Walks the (hub_id, sequence_id) index of each day backwards, merged across days.
  const rows = await prisma().event.findMany({
    where: {
      hubId,
      ...(options.beforeSequenceId !== undefined ? { sequenceId: { lt: BigInt(options.beforeSequenceId) } } : {}),
    },
    orderBy: { sequenceId: 'desc' },
    take: limit + 1,
    select: { id: true, sequenceId: true, name: true, requestId: true, createdDate: true },
  });
  const page = rows.slice(0, limit);
  const deliveries = await deliveriesOf(page.map((row) => row.id));
  const items = page.map((row) => ({
    id: row.id,
    sequenceId: Number(row.sequenceId),
    name: row.name,
    requestId: row.requestId,
    createdDate: row.createdDate,
    deliveries: deliveries.get(row.id) ?? [],
  }));
  const last = items.at(-1);
  return { items, nextBefore: rows.length > limit && last ? last.sequenceId : null };
}
