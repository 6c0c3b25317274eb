'use client';

import { usePathname } from 'next/navigation';
import { Tabs } from '@/components/ui/tabs';

export function WebhookTabs({ id }: { id: string }) {
  const pathname = usePathname();
  const activity = pathname.startsWith(`/webhooks/${id}/activity`);
  return (
    <Tabs
      label="Webhook"
      tabs={[
        { href: `/webhooks/${id}`, label: 'Settings', current: !activity },
        { href: `/webhooks/${id}/activity`, label: 'Activity log', current: activity },
      ]}
    />
  );
}
