'use client';

import { useActionState } from 'react';
import { type AuthFormState, setupAction } from '@/app/(auth)/actions';
import { Alert } from '@/components/ui/alert';
import { Field, Input } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import { SubmitButton } from '@/components/ui/submit-button';

export function SetupForm({ minLength }: { minLength: number }) {
  const [state, formAction] = useActionState<AuthFormState, FormData>(setupAction, null);
  const errors = state ? state.fieldErrors : [];
  return (
    <form action={formAction} className="mt-6 space-y-4">
      <div aria-live="polite">{state ? <Alert tone="danger">{state.message}</Alert> : null}</div>
      <Field id="email" label="Email" errors={errorsFor(errors, 'email')}>
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
      <Field
        id="password"
        label="Password"
        hint={`At least ${minLength} characters.`}
        errors={errorsFor(errors, 'password')}
      >
        <Input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          minLength={minLength}
          required
        />
      </Field>
      <Field id="confirm" label="Confirm password" errors={errorsFor(errors, 'confirm')}>
        <Input id="confirm" name="confirm" type="password" autoComplete="new-password" minLength={minLength} required />
      </Field>
      <SubmitButton className="w-full" pendingLabel="Creating account…">
        Create admin account
      </SubmitButton>
    </form>
  );
}
