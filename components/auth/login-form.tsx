'use client';

import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { type AuthFormState, loginAction } from '@/lib/actions/auth-actions';

/** `next`: the page to open after signing in (checked again by the action). */
export function LoginForm({ next }: { next: string | null }) {
  const [state, formAction] = useActionState<AuthFormState, FormData>(loginAction, null);
  return (
    <form action={formAction} className="mt-6 space-y-4">
      <div aria-live="polite">{state ? <Alert tone="danger">{state.message}</Alert> : null}</div>
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <Field id="email" label="Email">
        <Input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          defaultValue={state?.email}
          required
          autoFocus
        />
      </Field>
      <Field id="password" label="Password">
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      <SubmitButton className="w-full" pendingLabel="Signing in…">
        Sign in
      </SubmitButton>
    </form>
  );
}
