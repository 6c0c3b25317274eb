'use client';

import { useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { useToast } from '@/components/ui/toast';
import { revokeApiClientAction } from '@/lib/actions/api-client-actions';

export function RevokeClientButton({ id, name }: { id: string; name: string }) {
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  return (
    <>
      <Button size="sm" variant="danger-outline" onClick={() => setOpen(true)} aria-label={`Revoke ${name}`}>
        Revoke
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Revoke ${name}?`}
        description="Its tokens stop working at once. This cannot be undone: create a new client instead."
        footer={
          <>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button
              variant="danger"
              disabled={pending}
              onClick={() =>
                startTransition(async () => {
                  const result = await revokeApiClientAction({ id });
                  setOpen(false);
                  toast(result.ok ? `${name} revoked` : result.message, result.ok ? 'success' : 'error');
                })
              }
            >
              Revoke
            </Button>
          </>
        }
      >
        <p className="font-mono text-xs text-zinc-600">{id}</p>
      </Dialog>
    </>
  );
}
