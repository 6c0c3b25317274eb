'use client';

import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Field, Input } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import { SubmitButton } from '@/components/ui/submit-button';
import { type AuthFormState, setupAction } from '@/lib/actions/auth-actions';
import { NewPasswordFields, usePasswordConfirmation } from './new-password-fields';

export function SetupForm({ minLength }: { minLength: number }) {
  const [state, formAction] = useActionState<AuthFormState, FormData>(setupAction, null);
  const errors = state ? state.fieldErrors : [];
  const passwords = usePasswordConfirmation();
  const codeErrors = errorsFor(errors, 'setupCode');
  return (
    <form action={formAction} onSubmit={passwords.onSubmit} className="mt-6 space-y-4">
      <div aria-live="polite">{state ? <Alert tone="danger">{state.message}</Alert> : null}</div>
      <Field
        id="setupCode"
        label="Setup code"
        hint="Printed by Herald when it started: the line “Setup code: …”."
        errors={codeErrors}
      >
        <Input
          id="setupCode"
          name="setupCode"
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="characters"
          aria-describedby={codeErrors?.length ? 'setupCode-error setupCode-hint' : 'setupCode-hint'}
          invalid={Boolean(codeErrors?.length)}
          defaultValue={state?.setupCode}
          required
          autoFocus
        />
      </Field>
      <Field id="email" label="Email" errors={errorsFor(errors, 'email')}>
        <Input id="email" name="email" type="email" autoComplete="username" defaultValue={state?.email} required />
      </Field>
      <NewPasswordFields
        minLength={minLength}
        errors={errors}
        mismatch={passwords.mismatch}
        onEdit={passwords.onEdit}
      />
      <SubmitButton className="w-full" pendingLabel="Creating account…">
        Create admin account
      </SubmitButton>
    </form>
  );
}
