'use server';

import { redirect } from 'next/navigation';
import { claimFirstRun, signIn } from '../auth/sign-in';
import type { ActionResult } from './action';
import { failure, toFailure } from './action';
import { clientAddress, endSession, startSession } from './session';

/**
 * What the sign-in and setup forms show; the email (and a setup code that was not the problem)
 * come back so a failed attempt keeps them.
 */
export type AuthFormState = (Extract<ActionResult<null>, { ok: false }> & { email: string; setupCode?: string }) | null;

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

export async function loginAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const email = text(form, 'email');
  let userId: string;
  try {
    const user = await signIn({ email, password: text(form, 'password') }, await clientAddress());
    userId = user.id;
  } catch (error) {
    return { ...toFailure(error, 'loginAction'), email };
  }
  await startSession(userId);
  redirect('/webhooks');
}

export async function setupAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const email = text(form, 'email');
  const password = text(form, 'password');
  const setupCode = text(form, 'setupCode');
  if (password !== text(form, 'confirm')) {
    const mismatch = failure('The passwords differ', [{ field: 'confirm', message: 'does not match the password' }]);
    return { ...mismatch, email, setupCode };
  }
  let userId: string;
  try {
    const user = await claimFirstRun({ setupCode, email, password }, await clientAddress());
    userId = user.id;
  } catch (error) {
    const result = toFailure(error, 'setupAction');
    const codeRefused = result.fieldErrors.some((fieldError) => fieldError.field === 'setupCode');
    return { ...result, email, ...(codeRefused ? {} : { setupCode }) };
  }
  await startSession(userId);
  redirect('/webhooks');
}

export async function logoutAction(): Promise<void> {
  await endSession();
  redirect('/login');
}
