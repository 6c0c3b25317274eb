import { Field, Input } from '@/components/ui/field';
import { errorsFor } from '@/components/ui/field-errors';
import type { FieldError } from '@/lib/errors';

/** A new password and its confirmation, as the first-run and invitation forms ask for them. */
export function NewPasswordFields({ minLength, errors }: { minLength: number; errors: FieldError[] }) {
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
          required
        />
      </Field>
      <Field id="confirm" label="Confirm password" errors={errorsFor(errors, 'confirm')}>
        <Input id="confirm" name="confirm" type="password" autoComplete="new-password" minLength={minLength} required />
      </Field>
    </>
  );
}
