'use client';

import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { useHub } from '@/components/layout/use-hub';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { useToast } from '@/components/ui/toast';
import { redeliverAction } from '@/lib/actions/webhook-actions';

export function RedeliverButton({ webhookId, deliveryId }: { webhookId: string; deliveryId: string }) {
  const router = useRouter();
  const { hubId } = useHub();
  const toast = useToast();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="primary"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const result = await redeliverAction({ hubId, webhookId, deliveryId });
          if (result.ok) toast('Redelivery queued');
          else toast(result.message, 'error');
          router.refresh();
        })
      }
    >
      {pending ? <Spinner /> : null}
      Redeliver
    </Button>
  );
}
