'use server';

import { redirect } from 'next/navigation';
import type { ActionResult } from '@/lib/actions/action';
import { toFailure } from '@/lib/actions/action';
import { clientAddress, endSession, startSession } from '@/lib/actions/session';
import { checkLoginAllowed, clearLoginFailures, describeWait, recordLoginFailure } from '@/lib/auth/login-throttle';
import { createFirstAdmin, verifyCredentials } from '@/lib/auth/users';

/** What the sign-in and setup forms show; the email comes back so a failed attempt keeps it. */
export type AuthFormState = (Extract<ActionResult<null>, { ok: false }> & { email: string }) | null;

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

export async function loginAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const email = text(form, 'email').trim().toLowerCase();
  const password = text(form, 'password');
  if (!email || !password) {
    return { ok: false, message: 'Enter your email and password', fieldErrors: [], email };
  }
  const client = await clientAddress();
  const decision = checkLoginAllowed(email, client);
  if (!decision.allowed) {
    return {
      ok: false,
      message: `Too many failed sign-ins. Try again in ${describeWait(decision.retryAfterSeconds)}.`,
      fieldErrors: [],
      email,
    };
  }
  let userId: string;
  try {
    const user = await verifyCredentials({ email, password });
    if (!user) {
      recordLoginFailure(email, client);
      return { ok: false, message: 'Email or password is wrong', fieldErrors: [], email };
    }
    userId = user.id;
  } catch (error) {
    return { ...toFailure(error, 'loginAction'), email };
  }
  clearLoginFailures(email, client);
  await startSession(userId);
  redirect('/webhooks');
}

export async function setupAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const password = text(form, 'password');
  const email = text(form, 'email');
  if (password !== text(form, 'confirm')) {
    return {
      ok: false,
      message: 'The passwords differ',
      fieldErrors: [{ field: 'confirm', message: 'does not match the password' }],
      email,
    };
  }
  let userId: string;
  try {
    const user = await createFirstAdmin({ email, password });
    userId = user.id;
  } catch (error) {
    return { ...toFailure(error, 'setupAction'), email };
  }
  await startSession(userId);
  redirect('/webhooks');
}

export async function logoutAction(): Promise<void> {
  await endSession();
  redirect('/login');
}
