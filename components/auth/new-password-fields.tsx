'use client';

import { type FormEvent, useState } from 'react';
import { Field, Input } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import type { FieldError } from '@/lib/errors';

const MISMATCH = 'does not match the password';

/**
 * Checks in the browser, before anything is sent, that the confirmation matches the password: a
 * refusal from the server would cost the invitee both passwords (a form action resets the form).
 * `onSubmit` goes on the form; a prevented submit never reaches the form's action.
 */
export function usePasswordConfirmation(): {
  mismatch: boolean;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onEdit: () => void;
} {
  const [mismatch, setMismatch] = useState(false);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const form = event.currentTarget;
    const password = form.elements.namedItem('password');
    const confirm = form.elements.namedItem('confirm');
    if (!(password instanceof HTMLInputElement) || !(confirm instanceof HTMLInputElement)) return;
    if (password.value === confirm.value) return;
    event.preventDefault();
    setMismatch(true);
    confirm.focus();
  };
  return { mismatch, onSubmit, onEdit: () => setMismatch(false) };
}

/** A new password and its confirmation, as the first-run and invitation forms ask for them. */
export function NewPasswordFields({
  minLength,
  errors,
  mismatch = false,
  onEdit,
}: {
  minLength: number;
  errors: FieldError[];
  /** Set by usePasswordConfirmation when a submit was stopped because the two differ. */
  mismatch?: boolean;
  onEdit?: () => void;
}) {
  const confirmErrors = mismatch ? [MISMATCH] : errorsFor(errors, 'confirm');
  return (
    <>
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
          onChange={onEdit}
          required
        />
      </Field>
      <Field id="confirm" label="Confirm password" errors={confirmErrors}>
        <Input
          id="confirm"
          name="confirm"
          type="password"
          autoComplete="new-password"
          minLength={minLength}
          invalid={Boolean(confirmErrors?.length)}
          aria-describedby={confirmErrors?.length ? 'confirm-error' : undefined}
          onChange={onEdit}
          required
        />
      </Field>
    </>
  );
}
