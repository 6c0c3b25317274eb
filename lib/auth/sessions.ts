import { createHash, randomBytes } from 'node:crypto';
import { recordAudit } from '../audit/record-audit';
import type { AuditContext } from '../audit/types';
import { env } from '../config/env';
import { prisma } from '../db/client';
import { USER_SELECT, type UserView } from './users';

/** A session ends 14 days after sign-in at the latest, whatever its use. */
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

// Use is recorded at most once a minute, so browsing does not write on every request.
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** Session ids are the SHA-256 of the cookie's token: a database read cannot be replayed as a login. */
export function sessionId(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** HERALD_SESSION_IDLE_TIMEOUT in ms; 0 turns the idle timeout off. */
function idleTimeoutMs(): number {
  return env().HERALD_SESSION_IDLE_TIMEOUT;
}

function idleCutoff(now: number): Date | undefined {
  const idle = idleTimeoutMs();
  return idle > 0 ? new Date(now - idle) : undefined;
}

/**
 * Starts a session. With `signIn`, the sign-in is recorded in the audit log with the session (a
 * session made right after setup or accepting an invitation is recorded by those instead).
 */
export async function createSession(
  userId: string,
  signIn?: AuditContext,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  const expiresAt = new Date(now + SESSION_TTL_MS);
  await prisma().$transaction(async (tx) => {
    await tx.session.create({ data: { id: sessionId(token), userId, expiresAt, lastSeenAt: new Date(now) } });
    if (signIn) {
      await recordAudit(tx, {
        hubId: null,
        ...signIn,
        action: 'user.signed-in',
        target: { type: 'user', id: userId, label: signIn.actor.label },
      });
    }
  });
  // Housekeeping: sign-ins are rare, so this costs nothing noticeable.
  const idleBefore = idleCutoff(now);
  await prisma().session.deleteMany({
    where: { OR: [{ expiresAt: { lt: new Date(now) } }, ...(idleBefore ? [{ lastSeenAt: { lt: idleBefore } }] : [])] },
  });
  return { token, expiresAt };
}

/**
 * The signed-in user for a cookie token, or null when the session is unknown, past its 14 days,
 * or unused for longer than the idle timeout. Each use pushes the idle deadline back.
 */
export async function sessionUser(token: string | undefined, now: number = Date.now()): Promise<UserView | null> {
  if (!token || token.length > 128) return null;
  const id = sessionId(token);
  const session = await prisma().session.findUnique({
    where: { id },
    select: { expiresAt: true, lastSeenAt: true, user: { select: USER_SELECT } },
  });
  if (!session) return null;
  const idleBefore = idleCutoff(now);
  if (session.expiresAt.getTime() <= now || (idleBefore && session.lastSeenAt < idleBefore)) {
    await prisma().session.deleteMany({ where: { id } });
    return null;
  }
  if (now - session.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    await prisma().session.updateMany({ where: { id }, data: { lastSeenAt: new Date(now) } });
  }
  return session.user;
}

export async function deleteSession(token: string | undefined): Promise<void> {
  if (!token) return;
  await prisma().session.deleteMany({ where: { id: sessionId(token) } });
}
