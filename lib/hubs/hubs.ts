import { z } from 'zod';
import { recordAudit } from '../audit/record-audit';
import { type AuditContext, SYSTEM_CONTEXT } from '../audit/types';
import { objectId } from '../crypto/random';
import { prisma } from '../db/client';
import { NotFoundError, parseInput, ValidationError } from '../errors';
import { HUB_NAME_PATTERN } from './hub-names';

export interface Hub {
  id: string;
  name: string;
  label: string;
  createdDate: Date;
  lastModifiedDate: Date;
}

const HUB_SELECT = { id: true, name: true, label: true, createdDate: true, lastModifiedDate: true } as const;

export const DEFAULT_HUB_NAME = 'default';

/** A hub's name identifies it in the API (`GET /hubs` lists it); the label is what people read. */
export const ZHubName = z
  .string({ error: 'name is required' })
  .trim()
  .min(1, 'name is required')
  .max(128, 'name may be at most 128 characters')
  .regex(HUB_NAME_PATTERN, 'name may hold letters, digits, ".", "_" and "-", starting with a letter or digit');

export const ZHubLabel = z
  .string({ error: 'label is required' })
  .trim()
  .min(1, 'label is required')
  .max(256, 'label may be at most 256 characters')
  .refine((label) => !/\p{Cc}/u.test(label), 'label may not hold control characters');

export const ZHubInput = z.object({ name: ZHubName, label: ZHubLabel });

/** The hub every fresh install starts with; idempotent, safe to call from several processes. */
export async function ensureDefaultHub(): Promise<Hub> {
  const existing = await prisma().hub.findUnique({ where: { name: DEFAULT_HUB_NAME }, select: HUB_SELECT });
  if (existing) return existing;
  await prisma().hub.createMany({
    data: [{ id: objectId(), name: DEFAULT_HUB_NAME, label: 'Default hub' }],
    skipDuplicates: true,
  });
  return prisma().hub.findUniqueOrThrow({ where: { name: DEFAULT_HUB_NAME }, select: HUB_SELECT });
}

/** A new hub; its name must be free (a field error says so otherwise). */
export async function createHub(name: string, label: string, context: AuditContext = SYSTEM_CONTEXT): Promise<Hub> {
  const input = parseInput(ZHubInput, { name, label });
  return prisma().$transaction(async (tx) => {
    const id = objectId();
    // ON CONFLICT DO NOTHING: a taken name is an answer for the user, not an error to map.
    const { count } = await tx.hub.createMany({ data: [{ id, ...input }], skipDuplicates: true });
    if (count === 0) throw ValidationError.single('name', `a hub named "${input.name}" exists already`);
    const hub = await tx.hub.findUniqueOrThrow({ where: { id }, select: HUB_SELECT });
    await recordAudit(tx, {
      hubId: hub.id,
      ...context,
      action: 'hub.created',
      target: { type: 'hub', id: hub.id, label: hub.label },
      changes: { name: { from: null, to: hub.name }, label: { from: null, to: hub.label } },
    });
    return hub;
  });
}

/** Changes what people read (the label); the name, which API clients may look hubs up by, stays. */
export async function renameHub(id: string, label: string, context: AuditContext = SYSTEM_CONTEXT): Promise<Hub> {
  const newLabel = parseInput(z.object({ label: ZHubLabel }), { label }).label;
  return prisma().$transaction(async (tx) => {
    const before = await tx.hub.findUnique({ where: { id }, select: { label: true } });
    if (!before) throw new NotFoundError('Hub', id);
    const hub = await tx.hub.update({ where: { id }, data: { label: newLabel }, select: HUB_SELECT });
    if (before.label !== hub.label) {
      await recordAudit(tx, {
        hubId: hub.id,
        ...context,
        action: 'hub.renamed',
        target: { type: 'hub', id: hub.id, label: hub.label },
        changes: { label: { from: before.label, to: hub.label } },
      });
    }
    return hub;
  });
}

export async function listHubs(): Promise<Hub[]> {
  return prisma().hub.findMany({ orderBy: { createdDate: 'asc' }, select: HUB_SELECT });
}

/** The hub, or null: for callers that answer "no such hub" their own way. */
export async function findHub(id: string): Promise<Hub | null> {
  if (id.length === 0 || id.length > 24) return null;
  return prisma().hub.findUnique({ where: { id }, select: HUB_SELECT });
}

export async function getHub(id: string): Promise<Hub> {
  const hub = await findHub(id);
  if (!hub) throw new NotFoundError('Hub', id);
  return hub;
}
