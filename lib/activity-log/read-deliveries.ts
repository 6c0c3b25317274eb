import { z } from 'zod';
import { type Prisma, prisma } from '../db/client';
import { NotFoundError, parseInput, ValidationError } from '../errors';
import type { FilterReport } from '../filters/types';

export const DELIVERY_STATUSES = ['QUEUED', 'RETRYING', 'DELIVERED', 'FAILED', 'FILTERED'] as const;
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
  createdDate: Date;
  lastModifiedDate: Date;
  attempts: DeliveryAttemptView[];
}

const DELIVERY_INCLUDE = {
  event: { select: { id: true, name: true, sequenceId: true, requestId: true, createdDate: true } },
  attempts: { orderBy: [{ startedAt: 'desc' }, { number: 'desc' }] },
} as const satisfies Prisma.DeliveryInclude;

type DeliveryRow = Prisma.DeliveryGetPayload<{ include: typeof DELIVERY_INCLUDE }>;

function toView(row: DeliveryRow): DeliveryView {
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
      row.requestMethod && row.requestUrl !== null && row.requestBody !== null
        ? {
            method: row.requestMethod,
            url: row.requestUrl,
            headers: (row.requestHeaders ?? {}) as Record<string, string>,
            body: row.requestBody,
          }
        : null,
    attemptCount: row.attemptCount,
    chain: row.chain,
    nextAttemptAt: row.nextAttemptAt,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt,
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
  return toView(row);
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

function encodeCursor(row: { createdDate: Date; id: string }): string {
  return Buffer.from(JSON.stringify([row.createdDate.toISOString(), row.id])).toString('base64url');
}

/** A cursor this API did not hand out (stale from an older version, or edited by hand). */
export class InvalidCursorError extends ValidationError {
  override name = 'InvalidCursorError';
  constructor() {
    super([{ field: 'cursor', message: 'not a cursor returned by this API' }]);
  }
}

function decodeCursor(cursor: string): { createdDate: Date; id: string } {
  try {
    const [date, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdDate = new Date(date);
    if (Number.isNaN(createdDate.getTime()) || typeof id !== 'string') throw new Error('bad cursor');
    return { createdDate, id };
  } catch {
    throw new InvalidCursorError();
  }
}

/** The activity log of a webhook: newest first, cursor-paged (stable while new deliveries arrive). */
export async function listDeliveries(hubId: string, webhookId: string, query: TDeliveryQuery): Promise<DeliveryPage> {
  const q = parseInput(ZDeliveryQuery, query);
  const webhook = await prisma().webhook.findFirst({ where: { id: webhookId, hubId }, select: { id: true } });
  if (!webhook) throw new NotFoundError('Webhook', webhookId);
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const where: Prisma.DeliveryWhereInput = {
    hubId,
    webhookId,
    ...(q.status ? { status: { in: q.status } } : {}),
    ...(q.excludeStatus ? { NOT: { status: { in: q.excludeStatus } } } : {}),
    ...(q.event ? { event: { name: q.event } } : {}),
    ...(after
      ? {
          OR: [{ createdDate: { lt: after.createdDate } }, { createdDate: after.createdDate, id: { lt: after.id } }],
        }
      : {}),
  };
  const rows = await prisma().delivery.findMany({
    where,
    include: DELIVERY_INCLUDE,
    orderBy: [{ createdDate: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const items = rows.slice(0, q.limit);
  const last = items.at(-1);
  return { items: items.map(toView), nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null };
}
