import { z } from 'zod';
import { type Prisma, prisma } from '../db/client';
import { parseInput } from '../errors';
import type { AuditActor, AuditChanges, AuditTarget } from './types';

export interface AuditEntryView {
  id: string;
  createdDate: Date;
  hubId: string | null;
  actor: AuditActor;
  action: string;
  target: AuditTarget | null;
  changes: AuditChanges | null;
  sourceIp: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Filters and page, from a query string (the page's or the API's). Empty values mean "any". */
export const ZAuditQuery = z.object({
  /** An actor's id, or their label (an email, a client's name). */
  actor: z.string().trim().max(320).optional(),
  /** A webhook's id: entries about it. */
  webhook: z.string().trim().max(64).optional(),
  /** An exact action (`webhook.updated`), or a prefix ending in a dot (`webhook.`). */
  action: z.string().trim().max(64).optional(),
  cursor: z.string().regex(UUID, 'cursor is not one this API gave out').optional(),
  limit: z.coerce.number().int().min(1, 'limit must be at least 1').max(100, 'limit may be at most 100').default(50),
});
export type TAuditQuery = z.input<typeof ZAuditQuery>;

export interface AuditPage {
  items: AuditEntryView[];
  /** The next (older) page's cursor, or null on the last page. */
  nextCursor: string | null;
}

/**
 * Where the entries come from: one hub's (the API), or one hub's plus those that belong to no
 * hub (users, sign-ins, API clients), as the admin UI's Audit log page shows them.
 */
export interface AuditScope {
  hubId: string;
  includeGlobal: boolean;
}

const ENTRY_SELECT = {
  id: true,
  createdDate: true,
  hubId: true,
  actorType: true,
  actorId: true,
  actorLabel: true,
  action: true,
  targetType: true,
  targetId: true,
  targetLabel: true,
  changes: true,
  sourceIp: true,
} as const;

type EntryRow = Prisma.AuditEntryGetPayload<{ select: typeof ENTRY_SELECT }>;

const ACTOR_TYPES = new Set(['user', 'api-client', 'system']);

function toView(row: EntryRow): AuditEntryView {
  return {
    id: row.id,
    createdDate: row.createdDate,
    hubId: row.hubId,
    actor: {
      type: ACTOR_TYPES.has(row.actorType) ? (row.actorType as AuditActor['type']) : 'system',
      id: row.actorId,
      label: row.actorLabel,
    },
    action: row.action,
    target:
      row.targetType && row.targetId
        ? { type: row.targetType, id: row.targetId, ...(row.targetLabel ? { label: row.targetLabel } : {}) }
        : null,
    changes: (row.changes ?? null) as AuditChanges | null,
    sourceIp: row.sourceIp,
  };
}

function scopeWhere(scope: AuditScope): Prisma.AuditEntryWhereInput {
  return scope.includeGlobal ? { OR: [{ hubId: scope.hubId }, { hubId: null }] } : { hubId: scope.hubId };
}

/** Newest first, `limit` at a time; `cursor` continues after the previous page's last entry. */
export async function listAuditEntries(scope: AuditScope, input: unknown): Promise<AuditPage> {
  const query = parseInput(ZAuditQuery, input);
  const filters: Prisma.AuditEntryWhereInput[] = [scopeWhere(scope)];
  if (query.actor) filters.push({ OR: [{ actorId: query.actor }, { actorLabel: query.actor }] });
  if (query.webhook) filters.push({ targetType: 'webhook', targetId: query.webhook });
  if (query.action) {
    filters.push(query.action.endsWith('.') ? { action: { startsWith: query.action } } : { action: query.action });
  }
  if (query.cursor) filters.push({ id: { lt: query.cursor } });
  const rows = await prisma().auditEntry.findMany({
    where: { AND: filters },
    orderBy: { id: 'desc' },
    take: query.limit + 1,
    select: ENTRY_SELECT,
  });
  const items = rows.slice(0, query.limit).map(toView);
  return { items, nextCursor: rows.length > query.limit ? (items[items.length - 1]?.id ?? null) : null };
}

/** The actors that appear in a scope (most recent first), for the page's actor filter. */
export async function listAuditActors(scope: AuditScope, max = 200): Promise<AuditActor[]> {
  const rows = await prisma().auditEntry.groupBy({
    by: ['actorType', 'actorId', 'actorLabel'],
    where: scopeWhere(scope),
    _max: { createdDate: true },
    orderBy: { _max: { createdDate: 'desc' } },
    take: max,
  });
  return rows.map((row) => ({
    type: ACTOR_TYPES.has(row.actorType) ? (row.actorType as AuditActor['type']) : 'system',
    id: row.actorId,
    label: row.actorLabel,
  }));
}

/** Whether a string can be a cursor of listAuditEntries (anything else is refused there). */
export function isAuditCursor(value: string): boolean {
  return UUID.test(value);
}

/**
 * The webhooks the hub's log names, each with its latest label; deleted ones included, marked as
 * such (the page links only those that still exist).
 */
export async function listAuditWebhooks(
  hubId: string,
  max = 500,
): Promise<{ id: string; label: string; exists: boolean }[]> {
  const rows = await prisma().auditEntry.groupBy({
    by: ['targetId', 'targetLabel'],
    where: { hubId, targetType: 'webhook' },
    _max: { createdDate: true },
    orderBy: { _max: { createdDate: 'desc' } },
    take: max,
  });
  // The newest label each webhook was recorded under; entries that recorded none name no label.
  const seen = new Map<string, string | null>();
  for (const row of rows) {
    if (!row.targetId) continue;
    if (!seen.get(row.targetId)) seen.set(row.targetId, row.targetLabel);
  }
  const live = await prisma().webhook.findMany({
    where: { hubId, id: { in: [...seen.keys()] } },
    select: { id: true, label: true },
  });
  // A webhook that still exists goes by its label today; a deleted one by the last label recorded.
  const current = new Map(live.map((webhook) => [webhook.id, webhook.label]));
  return [...seen]
    .map(([id, label]) => ({ id, label: current.get(id) ?? label ?? id, exists: current.has(id) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
