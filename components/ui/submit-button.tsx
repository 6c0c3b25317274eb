'use client';

import type { ReactNode } from 'react';
import { useFormStatus } from 'react-dom';
import { Button, type ButtonVariant } from './button';
import { Spinner } from './spinner';

/** A form's submit button: disabled with a spinner while the form's action runs. */
export function SubmitButton({
  children,
  pendingLabel,
  variant = 'primary',
  className,
  pending: forcedPending,
  disabled = false,
}: {
  children: ReactNode;
  pendingLabel?: string;
  variant?: ButtonVariant;
  className?: string;
  pending?: boolean;
  disabled?: boolean;
}) {
  const status = useFormStatus();
  const pending = forcedPending ?? status.pending;
  return (
    <Button
      type="submit"
      variant={variant}
      disabled={pending || disabled}
      aria-disabled={pending || disabled}
      className={className}
    >
      {pending ? <Spinner /> : null}
      {pending && pendingLabel ? pendingLabel : children}
    </Button>
  );
}
