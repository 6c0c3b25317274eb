'use client';

import { usePathname } from 'next/navigation';
import { useHub } from '@/components/layout/use-hub';
import { Tabs } from '@/components/ui/tabs';

export function WebhookTabs({ id }: { id: string }) {
  const pathname = usePathname();
  const { path } = useHub();
  const activity = pathname.startsWith(path(`/webhooks/${id}/activity`));
  return (
    <Tabs
      label="Webhook"
      tabs={[
        { href: path(`/webhooks/${id}`), label: 'Settings', current: !activity },
        { href: path(`/webhooks/${id}/activity`), label: 'Activity log', current: activity },
      ]}
    />
  );
}
