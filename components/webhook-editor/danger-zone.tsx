'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { useHub } from '@/components/layout/use-hub';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { useToast } from '@/components/ui/toast';
import { deleteWebhookAction } from '@/lib/actions/webhook-actions';

export function DangerZone({ id, label, onDeleted }: { id: string; label: string; onDeleted: () => void }) {
  const router = useRouter();
  const { hubId, path } = useHub();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const remove = () =>
    startTransition(async () => {
      const result = await deleteWebhookAction({ hubId, id });
      if (!result.ok) {
        toast(result.message, 'error');
        return;
      }
      setOpen(false);
      onDeleted();
      toast(`Deleted ${label}`);
      router.push(path('/webhooks'));
    });
  return (
    <section
      aria-labelledby="danger-heading"
      className="rounded-lg border border-red-200 bg-white px-4 py-4 shadow-sm sm:px-5"
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="danger-heading" className="text-base font-semibold text-red-800">
            Delete webhook
          </h2>
          <p className="text-sm text-zinc-600">Deletes the webhook and its activity log. This cannot be undone.</p>
        </div>
        <Button variant="danger-outline" onClick={() => setOpen(true)}>
          Delete webhook
        </Button>
      </div>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Delete ${label}?`}
        description="Herald stops sending it at once; its deliveries and their log are deleted too."
        footer={
          <>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button variant="danger" onClick={remove} disabled={pending}>
              Delete
            </Button>
          </>
        }
      >
        <p className="text-sm text-zinc-600">This cannot be undone.</p>
      </Dialog>
    </section>
  );
}
