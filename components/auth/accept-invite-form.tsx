'use client';

import { useActionState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Field, Input } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import { SubmitButton } from '@/components/ui/submit-button';
import { type AuthFormState, acceptInviteAction } from '@/lib/actions/auth-actions';
import { NewPasswordFields, usePasswordConfirmation } from './new-password-fields';

export function AcceptInviteForm({ token, email, minLength }: { token: string; email: string; minLength: number }) {
  const [state, formAction] = useActionState<AuthFormState, FormData>(acceptInviteAction, null);
  const errors = state ? state.fieldErrors : [];
  const passwords = usePasswordConfirmation();
  return (
    <form action={formAction} onSubmit={passwords.onSubmit} className="mt-6 space-y-4">
      <div aria-live="polite">{state ? <Alert tone="danger">{state.message}</Alert> : null}</div>
      <input type="hidden" name="token" value={token} />
      {/* For password managers: the account this password belongs to. */}
      <input type="hidden" name="email" value={email} autoComplete="username" />
      <Field id="name" label="Your name" errors={errorsFor(errors, 'name')}>
        <Input
          id="name"
          name="name"
          autoComplete="name"
          maxLength={128}
          defaultValue={state?.name}
          required
          autoFocus
        />
      </Field>
      <NewPasswordFields
        minLength={minLength}
        errors={errors}
        mismatch={passwords.mismatch}
        onEdit={passwords.onEdit}
      />
      <SubmitButton className="w-full" pendingLabel="Joining…">
        Join Herald
      </SubmitButton>
    </form>
  );
}
