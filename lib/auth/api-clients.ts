import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../audit/record-audit';
import { type AuditContext, SYSTEM_CONTEXT } from '../audit/types';
import { randomAlphanumeric } from '../crypto/random';
import { prisma } from '../db/client';
import { NotFoundError, parseInput, ValidationError } from '../errors';
import { isScope, normalizeScopes, SCOPES, type Scope } from './scopes';

export interface ApiClientView {
  id: string;
  name: string;
  createdDate: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  scopes: Scope[];
  /** The hubs the client may reach; null for every hub. */
  hubIds: string[] | null;
}

export interface CreatedApiClient extends ApiClientView {
  /** Shown once: only its hash is stored. */
  secret: string;
}

// Client secrets are 256-bit random strings: a plain SHA-256 is enough, a slow hash buys nothing.
function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A list of scopes as the CLI and forms send it: at least one, each a known scope. */
export const ZScopes = z
  .array(z.string().trim(), { error: 'scopes must be a list' })
  .min(1, `choose at least one scope (${SCOPES.join(', ')})`)
  .max(SCOPES.length * 4)
  .transform((values, ctx) => {
    const unknown = values.filter((value) => !isScope(value));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown scope ${unknown.map((value) => `"${value}"`).join(', ')}: use ${SCOPES.join(', ')}`,
      });
      return z.NEVER;
    }
    return normalizeScopes(values.filter(isScope));
  });

export const ZApiClientName = z
  .string()
  .trim()
  .min(1, 'name is required')
  .max(128, 'name may be at most 128 characters');

export const ZApiClientInput = z.object({
  name: ZApiClientName,
  /** Every scope unless chosen: a client made without a choice works as clients always did. */
  scopes: ZScopes.default([...SCOPES]),
  /** Null or absent: every hub, including hubs created later. */
  hubIds: z
    .array(z.string().trim().min(1).max(24, 'a hub id has at most 24 characters'))
    .min(1, 'choose at least one hub, or allow every hub')
    .max(100)
    .nullish(),
});

export type TApiClientInput = z.input<typeof ZApiClientInput>;

export interface CreateApiClientOptions {
  scopes?: readonly string[];
  hubIds?: readonly string[] | null;
  /** Fixed credentials (the bootstrap client, tests); generated when absent. */
  credentials?: { id: string; secret: string };
  /** Who creates it, for the audit entry that commits with it. */
  context?: AuditContext;
}

const CLIENT_SELECT = {
  id: true,
  name: true,
  createdDate: true,
  lastUsedAt: true,
  revokedAt: true,
  scopes: true,
  allHubs: true,
  hubs: { select: { hubId: true }, orderBy: { hubId: 'asc' } },
} as const;

interface ClientRow {
  id: string;
  name: string;
  createdDate: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  scopes: string[];
  allHubs: boolean;
  hubs: { hubId: string }[];
}

function toView({ allHubs, hubs, scopes, ...client }: ClientRow): ApiClientView {
  return { ...client, scopes: scopes.filter(isScope), hubIds: allHubs ? null : hubs.map((hub) => hub.hubId) };
}

export async function createApiClient(name: string, options: CreateApiClientOptions = {}): Promise<CreatedApiClient> {
  const input = parseInput(ZApiClientInput, { name, scopes: options.scopes, hubIds: options.hubIds });
  const id = options.credentials?.id ?? `herald-${randomAlphanumeric(20).toLowerCase()}`;
  const secret = options.credentials?.secret ?? randomAlphanumeric(48);
  const hubIds = input.hubIds ? [...new Set(input.hubIds)] : null;
  const client = await prisma().$transaction(async (tx) => {
    if (hubIds) {
      const found = await tx.hub.findMany({ where: { id: { in: hubIds } }, select: { id: true } });
      const missing = hubIds.filter((hubId) => !found.some((hub) => hub.id === hubId));
      if (missing.length > 0) throw ValidationError.single('hubIds', `no hub ${missing.join(', ')}`);
    }
    const created = await tx.apiClient.create({
      data: {
        id,
        name: input.name,
        secretHash: hashSecret(secret),
        scopes: input.scopes,
        allHubs: hubIds === null,
        ...(hubIds ? { hubs: { create: hubIds.map((hubId) => ({ hubId })) } } : {}),
      },
      select: CLIENT_SELECT,
    });
    await recordAudit(tx, {
      hubId: null,
      ...(options.context ?? SYSTEM_CONTEXT),
      action: 'api-client.created',
      target: { type: 'api-client', id, label: input.name },
      changes: { scopes: { from: null, to: input.scopes }, hubs: { from: null, to: hubIds ?? 'all' } },
    });
    return created;
  });
  return { ...toView(client), secret };
}

const BOOTSTRAP_CLIENT_NAME = 'Bootstrap client';

/** What start-up found of the bootstrap client. */
export type BootstrapClientState = { state: 'created' } | { state: 'active' } | { state: 'revoked'; revokedAt: Date };

/**
 * Makes sure the client named by HERALD_BOOTSTRAP_CLIENT_ID exists with that secret (idempotent:
 * a changed secret replaces the stored hash). It may do everything. A revoked client stays
 * revoked, however often Herald restarts with its id still configured: revoking is how an admin
 * takes a leaked bootstrap secret out of service, and a restart must not undo that. Creation is
 * audited like any other client's.
 */
export async function ensureBootstrapClient(id: string, secret: string): Promise<BootstrapClientState> {
  const secretHash = hashSecret(secret);
  return prisma().$transaction(async (tx) => {
    // ON CONFLICT DO NOTHING: concurrent starts create it once, and never touch an existing row here.
    const { count } = await tx.apiClient.createMany({
      data: [{ id, name: BOOTSTRAP_CLIENT_NAME, secretHash, scopes: [...SCOPES] }],
      skipDuplicates: true,
    });
    if (count === 1) {
      await recordAudit(tx, {
        hubId: null,
        ...SYSTEM_CONTEXT,
        action: 'api-client.created',
        target: { type: 'api-client', id, label: BOOTSTRAP_CLIENT_NAME },
        changes: { scopes: { from: null, to: [...SCOPES] }, hubs: { from: null, to: 'all' } },
      });
      return { state: 'created' };
    }
    const existing = await tx.apiClient.findUniqueOrThrow({ where: { id }, select: { revokedAt: true } });
    if (existing.revokedAt) return { state: 'revoked', revokedAt: existing.revokedAt };
    await tx.apiClient.updateMany({ where: { id, revokedAt: null }, data: { secretHash } });
    return { state: 'active' };
  });
}

export async function listApiClients(): Promise<ApiClientView[]> {
  const clients = await prisma().apiClient.findMany({ orderBy: { createdDate: 'desc' }, select: CLIENT_SELECT });
  return clients.map(toView);
}

export async function revokeApiClient(id: string, context: AuditContext = SYSTEM_CONTEXT): Promise<void> {
  await prisma().$transaction(async (tx) => {
    const client = await tx.apiClient.findUnique({ where: { id }, select: { name: true, revokedAt: true } });
    const { count } = await tx.apiClient.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (!client || count === 0) throw new NotFoundError('API client', id);
    await recordAudit(tx, {
      hubId: null,
      ...context,
      action: 'api-client.revoked',
      target: { type: 'api-client', id, label: client.name },
    });
  });
}

/** The client when id and secret match an active client, else null (no hint which part was wrong). */
export async function authenticateClient(id: string, secret: string): Promise<ApiClientView | null> {
  const client = await prisma().apiClient.findUnique({
    where: { id },
    select: { ...CLIENT_SELECT, secretHash: true },
  });
  const expected = Buffer.from(client?.secretHash ?? hashSecret('no such client'), 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const match = timingSafeEqual(expected, actual);
  if (!client || !match || client.revokedAt) return null;
  const { secretHash: _, ...row } = client;
  return toView(row);
}
