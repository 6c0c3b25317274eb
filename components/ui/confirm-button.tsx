'use client';

import { type ReactNode, useState, useTransition } from 'react';
import { Button, type ButtonVariant } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { useToast } from '@/components/ui/toast';

type ActionResult = { ok: true } | { ok: false; message: string };

/**
 * A button that asks first, then runs a server action and says how it went: the one confirm
 * dialog of the admin UI (remove, revoke, delete, regenerate).
 */
export function ConfirmButton<R extends ActionResult>({
  label,
  ariaLabel,
  size = 'sm',
  variant = 'danger-outline',
  disabled = false,
  title,
  description,
  children,
  confirmLabel,
  confirmVariant = 'danger',
  run,
  done,
  onDone,
  stayOpenOnError = false,
}: {
  label: string;
  ariaLabel?: string;
  size?: 'sm' | 'md';
  variant?: ButtonVariant;
  disabled?: boolean;
  title: string;
  /** Under the title. */
  description?: ReactNode;
  /** The dialog's body. */
  children?: ReactNode;
  confirmLabel: string;
  confirmVariant?: ButtonVariant;
  run: () => Promise<R>;
  /** Announced when the action succeeded. */
  done?: string;
  onDone?: (result: Extract<R, { ok: true }>) => void;
  /** Keep the dialog open when the action fails (to try again), rather than closing it. */
  stayOpenOnError?: boolean;
}) {
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const confirm = () =>
    startTransition(async () => {
      const result = await run();
      if (!result.ok) {
        if (!stayOpenOnError) setOpen(false);
        toast(result.message, 'error');
        return;
      }
      setOpen(false);
      onDone?.(result as Extract<R, { ok: true }>);
      if (done) toast(done, 'success');
    });
  return (
    <>
      <Button
        size={size}
        variant={variant}
        onClick={() => setOpen(true)}
        aria-label={ariaLabel}
        disabled={disabled || pending}
      >
        {label}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={title}
        description={description}
        footer={
          <>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button variant={confirmVariant} disabled={pending} onClick={confirm}>
              {confirmLabel}
            </Button>
          </>
        }
      >
        {children}
      </Dialog>
    </>
  );
}
