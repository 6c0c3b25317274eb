import { createHash, randomBytes } from 'node:crypto';
import { prisma } from '../db/client';
import type { UserView } from './users';

export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** Session ids are the SHA-256 of the cookie's token: a database read cannot be replayed as a login. */
export function sessionId(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function createSession(userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await prisma().session.create({ data: { id: sessionId(token), userId, expiresAt } });
  // Housekeeping: sign-ins are rare, so this costs nothing noticeable.
  await prisma().session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  return { token, expiresAt };
}

/** The signed-in user for a cookie token, or null when the session is unknown or expired. */
export async function sessionUser(token: string | undefined): Promise<UserView | null> {
  if (!token || token.length > 128) return null;
  const session = await prisma().session.findUnique({
    where: { id: sessionId(token) },
    select: { expiresAt: true, user: { select: { id: true, email: true, createdDate: true } } },
  });
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  return session.user;
}

export async function deleteSession(token: string | undefined): Promise<void> {
  if (!token) return;
  await prisma().session.deleteMany({ where: { id: sessionId(token) } });
}
