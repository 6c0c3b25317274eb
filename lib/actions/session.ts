import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import type { AuditContext } from '../audit/types';
import { clientAddressFrom } from '../auth/client-address';
import { loginPathFor } from '../auth/next-path';
import { REQUESTED_PATH_HEADER } from '../auth/requested-path';
import { createSession, deleteSession, SESSION_TTL_MS, sessionUser } from '../auth/sessions';
import { hasUsers, type UserView } from '../auth/users';
import { env } from '../config/env';

export const SESSION_COOKIE = 'herald_session';

/** The signed-in user of this request, or null. Cached per request. */
export const currentUser = cache(async (): Promise<UserView | null> => {
  const store = await cookies();
  return sessionUser(store.get(SESSION_COOKIE)?.value);
});

/**
 * Pages and actions of the admin call this first: no user, no data. A signed-out visitor goes to
 * sign in and comes back to the page they asked for (`/login?next=…`, checked again there).
 */
export async function requireUser(): Promise<UserView> {
  const user = await currentUser();
  if (user) return user;
  if (!(await hasUsers())) redirect('/setup');
  redirect(loginPathFor((await headers()).get(REQUESTED_PATH_HEADER)));
}

/** The client's address as Herald's web server saw it (or as a trusted proxy reported it). */
export async function clientAddress(): Promise<string> {
  return clientAddressFrom(await headers());
}

/** Starts a session and sets its cookie; with `signIn`, records the sign-in in the audit log. */
export async function startSession(userId: string, signIn?: AuditContext): Promise<void> {
  const { token } = await createSession(userId, signIn);
  const store = await cookies();
  store.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    // From configuration only: request headers such as X-Forwarded-Proto are the client's to set.
    secure: env().HERALD_SECURE_COOKIES,
    path: '/',
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export async function endSession(): Promise<void> {
  const store = await cookies();
  await deleteSession(store.get(SESSION_COOKIE)?.value);
  store.delete(SESSION_COOKIE);
}
