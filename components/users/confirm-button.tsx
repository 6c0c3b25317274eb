'use client';

import { type ReactNode, useState, useTransition } from 'react';
import { Button, type ButtonVariant } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { useToast } from '@/components/ui/toast';

/** A button that asks first, then runs a server action and says how it went. */
export function ConfirmButton({
  label,
  ariaLabel,
  title,
  description,
  confirmLabel,
  variant = 'danger-outline',
  run,
  done,
}: {
  label: string;
  ariaLabel: string;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  variant?: ButtonVariant;
  run: () => Promise<{ ok: true } | { ok: false; message: string }>;
  done: string;
}) {
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  return (
    <>
      <Button size="sm" variant={variant} onClick={() => setOpen(true)} aria-label={ariaLabel}>
        {label}
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={title}
        footer={
          <>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button
              variant="danger"
              disabled={pending}
              onClick={() =>
                startTransition(async () => {
                  const result = await run();
                  setOpen(false);
                  toast(result.ok ? done : result.message, result.ok ? 'success' : 'error');
                })
              }
            >
              {confirmLabel}
            </Button>
          </>
        }
      >
        <div className="text-sm text-zinc-700">{description}</div>
      </Dialog>
    </>
  );
}
