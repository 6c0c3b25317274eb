import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { randomAlphanumeric } from '../crypto/random';
import { prisma } from '../db/client';
import { NotFoundError, parseInput } from '../errors';

export interface ApiClientView {
  id: string;
  name: string;
  createdDate: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface CreatedApiClient extends ApiClientView {
  /** Shown once: only its hash is stored. */
  secret: string;
}

// Client secrets are 256-bit random strings: a plain SHA-256 is enough, a slow hash buys nothing.
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export const ZApiClientName = z
  .string()
  .trim()
  .min(1, 'name is required')
  .max(128, 'name may be at most 128 characters');

export async function createApiClient(
  name: string,
  credentials?: { id: string; secret: string },
): Promise<CreatedApiClient> {
  const validName = parseInput(ZApiClientName, name);
  const id = credentials?.id ?? `herald-${randomAlphanumeric(20).toLowerCase()}`;
  const secret = credentials?.secret ?? randomAlphanumeric(48);
  const client = await prisma().apiClient.create({ data: { id, name: validName, secretHash: hashSecret(secret) } });
  return { ...client, secret };
}

/**
 * Makes sure the client named by HERALD_BOOTSTRAP_CLIENT_ID exists with that secret (idempotent:
 * a changed secret replaces the stored hash, a revoked client comes back).
 */
export async function ensureBootstrapClient(id: string, secret: string): Promise<void> {
  await prisma().apiClient.upsert({
    where: { id },
    create: { id, name: 'Bootstrap client', secretHash: hashSecret(secret) },
    update: { secretHash: hashSecret(secret), revokedAt: null },
  });
}

export async function listApiClients(): Promise<ApiClientView[]> {
  return prisma().apiClient.findMany({ orderBy: { createdDate: 'desc' } });
}

export async function revokeApiClient(id: string): Promise<void> {
  const { count } = await prisma().apiClient.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new NotFoundError('API client', id);
}

/** The client when id and secret match an active client, else null (no hint which part was wrong). */
export async function authenticateClient(id: string, secret: string): Promise<ApiClientView | null> {
  const client = await prisma().apiClient.findUnique({ where: { id }, omit: { secretHash: false } });
  const expected = Buffer.from(client?.secretHash ?? hashSecret('no such client'), 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const match = timingSafeEqual(expected, actual);
  if (!client || !match || client.revokedAt) return null;
  const { secretHash: _, ...view } = client;
  return view;
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** Records use at most once a minute per client, so busy clients do not write on every call. */
export async function activeClient(id: string): Promise<ApiClientView | null> {
  const client = await prisma().apiClient.findUnique({ where: { id } });
  if (!client || client.revokedAt) return null;
  if (!client.lastUsedAt || Date.now() - client.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await prisma().apiClient.update({ where: { id }, data: { lastUsedAt: new Date() } });
  }
  return client;
}
