'use server';

import { redirect } from 'next/navigation';
import { acceptInvite } from '../auth/invites';
import { claimFirstRun, InvalidCredentialsError, signIn, TooManyAttemptsError } from '../auth/sign-in';
import { recordFailedSignIn, recordRefusedSignIns } from '../auth/sign-in-audit';
import type { UserView } from '../auth/users';
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
  const address = await clientAddress();
  let user: UserView;
  try {
    user = await signIn({ email, password: text(form, 'password') }, address);
  } catch (error) {
    if (error instanceof InvalidCredentialsError) {
      await recordFailedSignIn(email.trim().toLowerCase(), address, error.message);
    } else if (error instanceof TooManyAttemptsError) {
      // One summary row per address and throttle window, not one per refused attempt.
      await recordRefusedSignIns(error.window, error.message);
    }
    return { ...toFailure(error, 'loginAction'), email };
  }
  await startSession(user.id, { actor: { type: 'user', id: user.id, label: user.email }, sourceIp: address });
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

/** The invitation page's form: the token comes from the link, name and password from the invitee. */
export async function acceptInviteAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const token = text(form, 'token');
  const password = text(form, 'password');
  if (password !== text(form, 'confirm')) {
    return {
      ...failure('The passwords differ', [{ field: 'confirm', message: 'does not match the password' }]),
      email: '',
    };
  }
  let userId: string;
  try {
    const user = await acceptInvite(token, { name: text(form, 'name'), password }, await clientAddress());
    userId = user.id;
  } catch (error) {
    return { ...toFailure(error, 'acceptInviteAction'), email: '' };
  }
  await startSession(userId);
  redirect('/webhooks');
}

export async function logoutAction(): Promise<void> {
  await endSession();
  redirect('/login');
}
