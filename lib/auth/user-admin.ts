import { recordAudit } from '../audit/record-audit';
import type { AuditContext } from '../audit/types';
import { type Prisma, prisma } from '../db/client';
import { bound, executeInPrisma, sql, statement } from '../db/sql';
import { DomainError, NotFoundError } from '../errors';
import { isRole, type Role } from './roles';

/**
 * What an Owner does to other users: change their role, remove them, end their sessions. Herald
 * always keeps one Owner: demoting or removing the last one is refused, under a lock so that two
 * Owners demoting each other at the same moment cannot both succeed.
 */

export interface UserListItem {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  createdDate: Date;
  /** Sessions not yet expired (an idle one still counts until it is next used or cleaned up). */
  activeSessions: number;
}

export class LastOwnerError extends DomainError {
  override name = 'LastOwnerError';
  constructor() {
    super('Herald needs at least one Owner: make someone else Owner first');
  }
}

// Every change to who is Owner takes this lock, then counts the Owners.
const OWNERS_LOCK = 'herald_owners';

const LOCK_OWNERS = statement(
  'auth-lock-owners',
  {},
  () => sql`SELECT pg_advisory_xact_lock(hashtext(${bound(OWNERS_LOCK)}))`,
);

async function lockOwners(tx: Prisma.TransactionClient): Promise<void> {
  await executeInPrisma(tx, LOCK_OWNERS, {});
}

async function otherOwners(tx: Prisma.TransactionClient, userId: string): Promise<number> {
  return tx.user.count({ where: { role: 'Owner', id: { not: userId } } });
}

export async function listUsers(now: Date = new Date()): Promise<UserListItem[]> {
  const rows = await prisma().user.findMany({
    orderBy: { createdDate: 'asc' },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      createdDate: true,
      _count: { select: { sessions: { where: { expiresAt: { gt: now } } } } },
    },
  });
  return rows.map(({ _count, ...user }) => ({ ...user, activeSessions: _count.sessions }));
}

async function target(tx: Prisma.TransactionClient, userId: string) {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, role: true } });
  if (!user) throw new NotFoundError('User', userId);
  return user;
}

export async function changeUserRole(userId: string, role: Role, context: AuditContext): Promise<void> {
  if (!isRole(role)) throw new DomainError(`Unknown role ${String(role)}`);
  await prisma().$transaction(async (tx) => {
    await lockOwners(tx);
    const user = await target(tx, userId);
    if (user.role === role) return;
    if (user.role === 'Owner' && (await otherOwners(tx, userId)) === 0) throw new LastOwnerError();
    await tx.user.update({ where: { id: userId }, data: { role } });
    await recordAudit(tx, {
      hubId: null,
      ...context,
      action: 'user.role-changed',
      target: { type: 'user', id: userId, label: user.email },
      changes: { role: { from: user.role, to: role } },
    });
  });
}

/** Removes a user and with them their sessions; the audit log keeps their name on what they did. */
export async function removeUser(userId: string, context: AuditContext): Promise<void> {
  await prisma().$transaction(async (tx) => {
    await lockOwners(tx);
    const user = await target(tx, userId);
    if (user.role === 'Owner' && (await otherOwners(tx, userId)) === 0) throw new LastOwnerError();
    await tx.user.delete({ where: { id: userId } });
    await recordAudit(tx, {
      hubId: null,
      ...context,
      action: 'user.removed',
      target: { type: 'user', id: userId, label: user.email },
      changes: { role: { from: user.role, to: null } },
    });
  });
}

/** Signs a user out everywhere: every session of theirs ends now. Returns how many there were. */
export async function revokeUserSessions(userId: string, context: AuditContext): Promise<number> {
  return prisma().$transaction(async (tx) => {
    const user = await target(tx, userId);
    const { count } = await tx.session.deleteMany({ where: { userId } });
    await recordAudit(tx, {
      hubId: null,
      ...context,
      action: 'user.sessions-revoked',
      target: { type: 'user', id: userId, label: user.email },
      changes: { sessions: { from: count, to: 0 } },
    });
    return count;
  });
}
