import { z } from 'zod';
import { database, type Prisma, prisma } from '../db/client';
import { type Param, param, type Sql, sql, statement } from '../db/sql';
import { NotFoundError, parseInput, ValidationError } from '../errors';
import { envelopeJson } from '../events/envelope';
import type { FilterReport } from '../filters/types';

export const DELIVERY_STATUSES = ['QUEUED', 'RETRYING', 'DELIVERED', 'FAILED', 'FILTERED', 'SUPERSEDED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryAttemptView {
  number: number;
  chain: number;
  startedAt: Date;
  durationMs: number;
  requestHeaders: Record<string, string>;
  response: { status: number; headers: Record<string, string>; body: string; truncated: boolean } | null;
  error: string | null;
  succeeded: boolean;
  nextAttemptAt: Date | null;
}

export interface DeliveryView {
  id: string;
  hubId: string;
  webhookId: string;
  status: DeliveryStatus;
  event: { id: string; name: string; sequenceId: number; requestId: string; createdDate: Date };
  filterReport: FilterReport;
  /** The custom payload template and URL template used for this delivery (when rendered). */
  payloadTemplate: string | null;
  urlTemplate: string | null;
  request: { method: string; url: string; headers: Record<string, string>; body: string } | null;
  attemptCount: number;
  chain: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  /** Latest mode: the event's key (the content item), and the newer delivery that superseded this one. */
  deliveryKey: string | null;
  supersededBy: string | null;
  createdDate: Date;
  lastModifiedDate: Date;
  attempts: DeliveryAttemptView[];
}

const DELIVERY_INCLUDE = {
  event: { select: { id: true, name: true, sequenceId: true, requestId: true, createdDate: true } },
  attempts: { orderBy: [{ startedAt: 'desc' }, { number: 'desc' }] },
} as const satisfies Prisma.DeliveryInclude;

type DeliveryRow = Prisma.DeliveryGetPayload<{ include: typeof DELIVERY_INCLUDE }>;

// By ids, the events' partition key: planned with them, so only their days are read.
const EVENT_PAYLOADS = statement<{ ids: Param<readonly string[]> }, { id: string; payload: string }>(
  'activity-event-payloads',
  { ids: param('uuid[]') },
  (p) => sql`SELECT id, payload::text AS payload FROM events WHERE id = ANY(${p.ids})`,
  { planEachRun: true },
);

/**
 * The standard envelope each of these deliveries sent, by event id, for those that keep no body
 * of their own (see RenderedRequest): rebuilt from the event's stored text, as the worker did.
 */
async function standardBodies(rows: readonly DeliveryRow[]): Promise<Map<string, string>> {
  const byEvent = new Map(
    rows.filter((row) => row.requestUrl !== null && row.requestBody === null).map((row) => [row.eventId, row]),
  );
  if (byEvent.size === 0) return new Map();
  const { rows: events } = await EVENT_PAYLOADS.run(database().pool, { ids: [...byEvent.keys()] });
  return new Map(
    events.flatMap((event) => {
      const row = byEvent.get(event.id);
      if (!row) return [];
      const head = { ...row.event, sequenceId: Number(row.event.sequenceId), resource: row.hubId };
      return [[event.id, envelopeJson(head, event.payload)]];
    }),
  );
}

async function toViews(rows: readonly DeliveryRow[]): Promise<DeliveryView[]> {
  const bodies = await standardBodies(rows);
  return rows.map((row) => toView(row, bodies.get(row.eventId)));
}

function toView(row: DeliveryRow, standardBody: string | undefined): DeliveryView {
  const body = row.requestBody ?? standardBody;
  // Rows written before the headers moved to the attempts only keep them here.
  const headers = row.requestHeaders ?? row.attempts.at(-1)?.requestHeaders ?? {};
  return {
    id: row.id,
    hubId: row.hubId,
    webhookId: row.webhookId,
    status: row.status,
    event: { ...row.event, sequenceId: Number(row.event.sequenceId) },
    filterReport: (row.filterReport ?? { matched: true, filters: [] }) as unknown as FilterReport,
    payloadTemplate: row.payloadTemplate,
    urlTemplate: row.urlTemplate,
    request:
      row.requestMethod && row.requestUrl !== null && body !== undefined
        ? { method: row.requestMethod, url: row.requestUrl, headers: headers as Record<string, string>, body }
        : null,
    attemptCount: row.attemptCount,
    chain: row.chain,
    nextAttemptAt: row.nextAttemptAt,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt,
    deliveryKey: row.deliveryKey,
    supersededBy: row.supersededBy,
    createdDate: row.createdDate,
    lastModifiedDate: row.lastModifiedDate,
    attempts: row.attempts.map((attempt) => ({
      number: attempt.number,
      chain: attempt.chain,
      startedAt: attempt.startedAt,
      durationMs: attempt.durationMs,
      requestHeaders: attempt.requestHeaders as Record<string, string>,
      response:
        attempt.responseStatus !== null
          ? {
              status: attempt.responseStatus,
              headers: (attempt.responseHeaders ?? {}) as Record<string, string>,
              body: attempt.responseBody ?? '',
              truncated: attempt.responseBodyTruncated,
            }
          : null,
      error: attempt.error,
      succeeded: attempt.succeeded,
      nextAttemptAt: attempt.nextAttemptAt,
    })),
  };
}

export async function getDelivery(hubId: string, webhookId: string, id: string): Promise<DeliveryView> {
  const row = await prisma().delivery.findFirst({ where: { id, hubId, webhookId }, include: DELIVERY_INCLUDE });
  if (!row) throw new NotFoundError('Request', id);
  const bodies = await standardBodies([row]);
  return toView(row, bodies.get(row.eventId));
}

const ZStatusList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((status) => status.trim().toUpperCase())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(DELIVERY_STATUSES, { error: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })));

export const ZDeliveryQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1, 'limit must be at least 1').max(100, 'limit may be at most 100').default(20),
  status: ZStatusList.optional(),
  excludeStatus: ZStatusList.optional(),
  event: z.string().max(128).optional(),
});

export type TDeliveryQuery = z.input<typeof ZDeliveryQuery>;

export interface DeliveryPage {
  items: DeliveryView[];
  nextCursor: string | null;
}

// The cursor still carries the last row's createdDate beside its id, as it did when pages were
// ordered by it; only the id matters now, so cursors handed out before stay valid.
export function encodeCursor(row: { createdDate: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdDate.toISOString(), row.id])).toString('base64url');
}

/** A cursor this API did not hand out (stale from an older version, or edited by hand). */
export class InvalidCursorError extends ValidationError {
  override name = 'InvalidCursorError';
  constructor() {
    super([{ field: 'cursor', message: 'not a cursor returned by this API' }]);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(cursor: string): string {
  try {
    const [date, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    if (Number.isNaN(new Date(date).getTime()) || typeof id !== 'string' || !UUID.test(id))
      throw new Error('bad cursor');
    return id;
  } catch {
    throw new InvalidCursorError();
  }
}

const pageParams = () => ({
  webhookId: param<string>(),
  before: param<string | null>('uuid'),
  status: param<readonly DeliveryStatus[] | null>('delivery_status[]'),
  excludeStatus: param<readonly DeliveryStatus[] | null>('delivery_status[]'),
  event: param<string | null>(),
  limit: param<number>(),
});

/** `shape` says which filters a page has (before, status, excludeStatus, event), a 1 or 0 each. */
function pageStatement(shape: string) {
  const [before, status, excludeStatus, event] = [...shape].map((flag) => flag === '1');
  return statement<ReturnType<typeof pageParams>, { id: string }>(`activity-page-${shape}`, pageParams(), (p) => {
    const where: Sql[] = [sql`d.webhook_id = ${p.webhookId}`];
    if (before) where.push(sql`d.id < ${p.before}`);
    if (status) where.push(sql`d.status = ANY(${p.status})`);
    if (excludeStatus) where.push(sql`d.status <> ALL(${p.excludeStatus})`);
    // A scalar subquery, not a join: the planner cannot turn it into a scan of every event of that name.
    if (event) where.push(sql`(SELECT e.name FROM events e WHERE e.id = d.event_id) = ${p.event}`);
    const conditions = where.reduce((all, condition) => sql`${all} AND ${condition}`);
    return sql`SELECT d.id FROM deliveries d WHERE ${conditions} ORDER BY d.id DESC LIMIT ${p.limit}`;
  });
}

// A statement per shape, named (not planned per run): each connection plans each shape once,
// where planning over every day's partition costs more than the walk itself.
const PAGES = new Map(
  Array.from({ length: 16 }, (_, bits) => bits.toString(2).padStart(4, '0')).map((shape) => [
    shape,
    pageStatement(shape),
  ]),
);

/**
 * One page of a webhook's delivery ids, newest first. Delivery ids follow their events' time (see
 * lib/outbox/delivery-id.ts), so this walks the (webhook_id, id) index backwards, partition by
 * partition from the newest day, and stops after `limit` rows; a cursor prunes every newer day.
 * Status filters read the status kept in that index (an index-only scan); an event-name filter
 * looks each candidate's event up by primary key, in its own day's partition. SQL of its own so
 * the walk stays that shape: the page's rows are read by id afterwards.
 */
export async function pageIds(webhookId: string, q: z.output<typeof ZDeliveryQuery>, before: string | null) {
  const shape = [before, q.status, q.excludeStatus, q.event].map((part) => (part ? 1 : 0)).join('');
  const page = PAGES.get(shape);
  if (!page) throw new Error(`no activity page of shape ${shape}`);
  const { rows } = await page.run(database().pool, {
    webhookId,
    before,
    status: q.status ?? null,
    excludeStatus: q.excludeStatus ?? null,
    event: q.event ?? null,
    limit: q.limit + 1,
  });
  return rows.map((row) => row.id);
}

/** The activity log of a webhook: newest first, cursor-paged (stable while new deliveries arrive). */
export async function listDeliveries(hubId: string, webhookId: string, query: TDeliveryQuery): Promise<DeliveryPage> {
  const q = parseInput(ZDeliveryQuery, query);
  const webhook = await prisma().webhook.findFirst({ where: { id: webhookId, hubId }, select: { id: true } });
  if (!webhook) throw new NotFoundError('Webhook', webhookId);
  const ids = await pageIds(webhookId, q, q.cursor ? decodeCursor(q.cursor) : null);
  const rows = await prisma().delivery.findMany({
    where: { id: { in: ids.slice(0, q.limit) }, hubId, webhookId },
    include: DELIVERY_INCLUDE,
    orderBy: { id: 'desc' },
  });
  const last = rows.at(-1);
  return { items: await toViews(rows), nextCursor: ids.length > q.limit && last ? encodeCursor(last) : null };
}
