import type { Role } from '../../lib/auth/roles';
import { createSession } from '../../lib/auth/sessions';
import { hashPassword } from '../../lib/crypto/password-hash';
import { prisma } from '../../lib/db/client';

/**
 * What a server action sees of "its request" when a test calls it directly: the session cookie
 * and the request headers. Tests replace `next/headers` with readers of this state (vi.mock in
 * the test file, since mocks are hoisted per file), so the actions' real session, role and
 * audit code runs against the real database.
 */
export const requestState = {
  token: undefined as string | undefined,
  address: '203.0.113.7',
};

export const SESSION_COOKIE_NAME = 'herald_session';

export function cookieStore() {
  return {
    get: (name: string) =>
      name === SESSION_COOKIE_NAME && requestState.token ? { name, value: requestState.token } : undefined,
    set: () => undefined,
    delete: () => undefined,
  };
}

// As Herald's web server does for every request (lib/auth/client-address.ts): the address header counts.
(globalThis as Record<symbol, unknown>)[Symbol.for('herald.clientAddressStamped')] = true;

export function headerList() {
  return new Headers({ 'x-herald-client-address': requestState.address, host: 'herald.test' });
}

let cachedHash: Promise<string> | undefined;

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  token: string;
}

/** A user of the role with a live session (password hashed once per file: scrypt is slow on purpose). */
export async function userWithRole(role: Role, email = `${role.toLowerCase()}-${Date.now()}@example.com`) {
  cachedHash ??= hashPassword('a long enough password');
  const user = await prisma().user.create({
    data: { email, role, name: role, passwordHash: await cachedHash },
    select: { id: true, email: true, role: true },
  });
  const { token } = await createSession(user.id);
  return { ...user, token } satisfies TestUser;
}

/** Runs the next action calls as this user. */
export function actAs(user: TestUser | null): void {
  requestState.token = user?.token;
}
