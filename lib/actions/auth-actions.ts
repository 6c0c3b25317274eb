'use server';

import { redirect } from 'next/navigation';
import { acceptInvite } from '../auth/invites';
import { safeNextPath } from '../auth/next-path';
import { claimFirstRun, InvalidCredentialsError, signIn, TooManyAttemptsError } from '../auth/sign-in';
import { recordFailedSignIn, recordRefusedSignIns } from '../auth/sign-in-audit';
import type { UserView } from '../auth/users';
import { hubAddress } from '../hubs/hub-address';
import type { ActionResult } from './action';
import { failure, toFailure } from './action';
import { clientAddress, endSession, startSession } from './session';

/**
 * What the sign-in, setup and invitation forms show after a refusal: what was typed (the email,
 * the setup code, the name; never a password) comes back, so a failed attempt keeps it.
 */
export type AuthFormState =
  | (Extract<ActionResult<null>, { ok: false }> & { email: string; setupCode?: string; name?: string })
  | null;

/**
 * Where a sign-in lands: the page the visitor asked for (`next`, when it is a safe one), else their
 * hub's webhooks; always an address of a hub's page, never a hub-less one (see hubAddress).
 */
async function landing(userId: string, next: unknown = null): Promise<string> {
  return hubAddress(userId, safeNextPath(next) ?? '/');
}

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
  redirect(await landing(user.id, form.get('next')));
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
    // The code stays even when it was refused: one mistyped character is easier fixed than retyped.
    return { ...toFailure(error, 'setupAction'), email, setupCode };
  }
  await startSession(userId);
  redirect(await landing(userId));
}

/** The invitation page's form: the token comes from the link, name and password from the invitee. */
export async function acceptInviteAction(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const token = text(form, 'token');
  const name = text(form, 'name');
  const password = text(form, 'password');
  if (password !== text(form, 'confirm')) {
    return {
      ...failure('The passwords differ', [{ field: 'confirm', message: 'does not match the password' }]),
      email: '',
      name,
    };
  }
  let userId: string;
  try {
    const user = await acceptInvite(token, { name, password }, await clientAddress());
    userId = user.id;
  } catch (error) {
    return { ...toFailure(error, 'acceptInviteAction'), email: '', name };
  }
  await startSession(userId);
  redirect(await landing(userId));
}

export async function logoutAction(): Promise<void> {
  await endSession();
  redirect('/login');
}
