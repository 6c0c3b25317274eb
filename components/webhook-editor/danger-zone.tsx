'use client';

import { useRouter } from 'next/navigation';
import { useHub } from '@/components/layout/use-hub';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { deleteWebhookAction } from '@/lib/actions/webhook-actions';

export function DangerZone({ id, label, onDeleted }: { id: string; label: string; onDeleted: () => void }) {
  const router = useRouter();
  const { hubId, path } = useHub();
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
        <ConfirmButton
          label="Delete webhook"
          size="md"
          title={`Delete ${label}?`}
          description="Herald stops sending it at once; its deliveries and their log are deleted too."
          confirmLabel="Delete"
          run={() => deleteWebhookAction({ hubId, id })}
          stayOpenOnError
          onDone={() => {
            onDeleted();
            router.push(path('/webhooks'));
          }}
          done={`Deleted ${label}`}
        >
          <p className="text-sm text-zinc-600">This cannot be undone.</p>
        </ConfirmButton>
      </div>
    </section>
  );
}
