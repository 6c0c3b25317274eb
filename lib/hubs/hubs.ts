import { objectId } from '../crypto/random';
import { prisma } from '../db/client';
import { NotFoundError } from '../errors';

export interface Hub {
  id: string;
  name: string;
  label: string;
  createdDate: Date;
  lastModifiedDate: Date;
}

const HUB_SELECT = { id: true, name: true, label: true, createdDate: true, lastModifiedDate: true } as const;

export const DEFAULT_HUB_NAME = 'default';

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

export async function createHub(name: string, label: string): Promise<Hub> {
  return prisma().hub.create({ data: { id: objectId(), name, label }, select: HUB_SELECT });
}

export async function listHubs(): Promise<Hub[]> {
  return prisma().hub.findMany({ orderBy: { createdDate: 'asc' }, select: HUB_SELECT });
}

export async function getHub(id: string): Promise<Hub> {
  const hub = await prisma().hub.findUnique({ where: { id }, select: HUB_SELECT });
  if (!hub) throw new NotFoundError('Hub', id);
  return hub;
}
