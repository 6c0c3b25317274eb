import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../audit/record-audit';
import type { AuditContext } from '../audit/types';
import { hashPassword } from '../crypto/password-hash';
import { uuid7 } from '../crypto/uuid7';
import { prisma } from '../db/client';
import { DomainError, NotFoundError, parseInput, ValidationError } from '../errors';
import { ROLES, type Role } from './roles';
import { addUser, MIN_PASSWORD_LENGTH, type UserView, ZEmail } from './users';

/**
 * Invitations: an Owner names an email and a role and gets a one-time link to pass on. Only the
 * token's SHA-256 is stored (a database read cannot be turned into an account); the link works
 * once, for 7 days. Whoever opens it chooses a name and password and becomes a user with the role.
 */

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export const ZInviteInput = z.object({
  email: ZEmail,
  role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` }),
});

export const ZAcceptInput = z.object({
  name: z.string({ error: 'name is required' }).trim().min(1, 'name is required').max(128, 'at most 128 characters'),
  password: z
    .string({ error: 'password is required' })
    .min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(256, 'password may be at most 256 characters'),
});

export interface InviteView {
  id: string;
  email: string;
  role: Role;
  expiresAt: Date;
  createdDate: Date;
  invitedBy: string | null;
}

export class InviteUnusableError extends DomainError {
  override name = 'InviteUnusableError';
}

const INVITE_SELECT = {
  id: true,
  email: true,
  role: true,
  expiresAt: true,
  createdDate: true,
  invitedBy: { select: { email: true } },
} as const;

function toView(row: {
  id: string;
  email: string;
  role: Role;
  expiresAt: Date;
  createdDate: Date;
  invitedBy: { email: string } | null;
}): InviteView {
  return { ...row, invitedBy: row.invitedBy?.email ?? null };
}

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Creates an invitation and returns it with its token (shown once, never stored). A new
 * invitation for the same email replaces a pending one, so only the latest link works.
 */
export async function createInvite(
  input: z.input<typeof ZInviteInput>,
  context: AuditContext,
): Promise<{ invite: InviteView; token: string }> {
  const data = parseInput(ZInviteInput, input);
  const token = randomBytes(32).toString('base64url');
  const invite = await prisma().$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: data.email }, select: { id: true } })) {
      throw ValidationError.single('email', 'already has an account');
    }
    await tx.invite.deleteMany({ where: { email: data.email, acceptedAt: null } });
    const row = await tx.invite.create({
      data: {
        id: uuid7(),
        email: data.email,
        role: data.role,
        tokenHash: hashToken(token),
        invitedById: context.actor.type === 'user' ? context.actor.id : null,
        expiresAt: new Date(Date.now() + INVITE_TTL_MS),
      },
      select: INVITE_SELECT,
    });
    await recordAudit(tx, {
      hubId: null,
      ...context,
      action: 'user.invited',
      target: { type: 'user', id: row.id, label: row.email },
      changes: { role: { from: null, to: row.role } },
    });
    return row;
  });
  return { invite: toView(invite), token };
}

/** Invitations not yet accepted nor expired, newest first. */
export async function listPendingInvites(now: Date = new Date()): Promise<InviteView[]> {
  const rows = await prisma().invite.findMany({
    where: { acceptedAt: null, expiresAt: { gt: now } },
    orderBy: { createdDate: 'desc' },
    select: INVITE_SELECT,
  });
  return rows.map(toView);
}

export async function revokeInvite(id: string, context: AuditContext): Promise<void> {
  await prisma().$transaction(async (tx) => {
    const invite = await tx.invite.findFirst({ where: { id, acceptedAt: null }, select: { email: true } });
    if (!invite) throw new NotFoundError('Invitation', id);
    await tx.invite.delete({ where: { id } });
    await recordAudit(tx, {
      hubId: null,
      ...context,
      action: 'user.invite-revoked',
      target: { type: 'user', id, label: invite.email },
    });
  });
}

const EXPIRED = 'This invitation has expired. Ask an Owner for a new one.';
const UNKNOWN = 'This invitation link is not valid. It may have been replaced or revoked: ask an Owner for a new one.';
const USED = 'This invitation has already been used. Sign in instead.';

/** What the acceptance page shows: the invitation, or why it cannot be used. */
export async function lookupInvite(
  token: string,
  now: Date = new Date(),
): Promise<{ ok: true; email: string; role: Role } | { ok: false; message: string }> {
  if (!token || token.length > 128) return { ok: false, message: UNKNOWN };
  const invite = await prisma().invite.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { email: true, role: true, acceptedAt: true, expiresAt: true },
  });
  if (!invite) return { ok: false, message: UNKNOWN };
  if (invite.acceptedAt) return { ok: false, message: USED };
  if (invite.expiresAt <= now) return { ok: false, message: EXPIRED };
  return { ok: true, email: invite.email, role: invite.role };
}

/**
 * Turns an invitation into a user with its role. The link works once: the invitation is claimed
 * by a conditional update, so two submissions at once cannot both create a user.
 */
export async function acceptInvite(
  token: string,
  input: z.input<typeof ZAcceptInput>,
  sourceIp: string | null,
  now: Date = new Date(),
): Promise<UserView> {
  const data = parseInput(ZAcceptInput, input);
  const found = await lookupInvite(token, now);
  if (!found.ok) throw new InviteUnusableError(found.message);
  const passwordHash = await hashPassword(data.password);
  return prisma().$transaction(async (tx) => {
    const tokenHash = hashToken(token);
    const { count } = await tx.invite.updateMany({
      where: { tokenHash, acceptedAt: null, expiresAt: { gt: now } },
      data: { acceptedAt: now },
    });
    if (count !== 1) throw new InviteUnusableError(USED);
    const invite = await tx.invite.findUniqueOrThrow({
      where: { tokenHash },
      select: { id: true, email: true, role: true },
    });
    if (await tx.user.findUnique({ where: { email: invite.email }, select: { id: true } })) {
      throw new InviteUnusableError(USED);
    }
    return addUser(
      tx,
      { email: invite.email, name: data.name, role: invite.role, passwordHash },
      'user.joined',
      sourceIp,
    );
  });
}
