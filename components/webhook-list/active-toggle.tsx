'use client';

import { useRouter } from 'next/navigation';
import { useOptimistic, useTransition } from 'react';
import { useHub } from '@/components/layout/use-hub';
import { Button } from '@/components/ui/button';
import { Switch } from '@/components/ui/switch';
import { useToast } from '@/components/ui/toast';
import { setWebhookActiveAction } from '@/lib/actions/webhook-actions';

export function ActiveToggle({ id, label, active }: { id: string; label: string; active: boolean }) {
  const toast = useToast();
  const router = useRouter();
  const { hubId } = useHub();
  const [optimistic, setOptimistic] = useOptimistic(active);
  const [pending, startTransition] = useTransition();
  return (
    <Switch
      checked={optimistic}
      disabled={pending}
      label={`${label}: active`}
      onChange={(next) =>
        startTransition(async () => {
          setOptimistic(next);
          const result = await setWebhookActiveAction({ hubId, id, active: next });
          if (result.ok) toast(`${label} is ${next ? 'on' : 'off'}`);
          else toast(result.message, 'error');
          router.refresh();
        })
      }
    />
  );
}

/** For a webhook Herald turned off: clears the reason and starts sending again. */
export function TurnBackOnButton({ id, label }: { id: string; label: string }) {
  const toast = useToast();
  const router = useRouter();
  const { hubId } = useHub();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      size="sm"
      variant="primary"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await setWebhookActiveAction({ hubId, id, active: true });
          if (result.ok) toast(`${label} is back on`);
          else toast(result.message, 'error');
          router.refresh();
        })
      }
    >
      Turn back on
    </Button>
  );
}
