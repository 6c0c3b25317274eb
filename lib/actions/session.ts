import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { createSession, deleteSession, SESSION_TTL_MS, sessionUser } from '../auth/sessions';
import { hasUsers, type UserView } from '../auth/users';

export const SESSION_COOKIE = 'herald_session';

/** The signed-in user of this request, or null. Cached per request. */
export const currentUser = cache(async (): Promise<UserView | null> => {
  const store = await cookies();
  return sessionUser(store.get(SESSION_COOKIE)?.value);
});

/** Pages and actions of the admin call this first: no user, no data. */
export async function requireUser(): Promise<UserView> {
  const user = await currentUser();
  if (user) return user;
  redirect((await hasUsers()) ? '/login' : '/setup');
}

async function servedOverHttps(): Promise<boolean> {
  const list = await headers();
  const proto = list.get('x-forwarded-proto')?.split(',')[0]?.trim();
  if (proto) return proto === 'https';
  return (list.get('origin') ?? '').startsWith('https://');
}

/** The client's address as the web server saw it (or as a trusted proxy reported it). */
export async function clientAddress(): Promise<string> {
  const list = await headers();
  return list.get('x-forwarded-for')?.split(',')[0]?.trim() || list.get('x-real-ip') || 'unknown';
}

export async function startSession(userId: string): Promise<void> {
  const { token } = await createSession(userId);
  const store = await cookies();
  store.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: await servedOverHttps(),
    path: '/',
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export async function endSession(): Promise<void> {
  const store = await cookies();
  await deleteSession(store.get(SESSION_COOKIE)?.value);
  store.delete(SESSION_COOKIE);
}
