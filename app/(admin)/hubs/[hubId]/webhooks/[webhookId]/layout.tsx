import Link from 'next/link';
import type { ReactNode } from 'react';
import { catalogForClient } from '@/components/test-event/catalog';
import { SendTestEventButton } from '@/components/test-event/send-test-event-dialog';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { PageHeader } from '@/components/ui/page-header';
import { formatAbsolute } from '@/components/ui/time';
import { DestinationPolicyNote } from '@/components/webhook-editor/destination-policy-note';
import { WebhookTabs } from '@/components/webhook-editor/webhook-tabs';
import { ActiveToggle, TurnBackOnButton } from '@/components/webhook-list/active-toggle';
import { env } from '@/lib/config/env';
import { hubPath } from '@/lib/hubs/hub-paths';
import { loadWebhook } from './load';

export const dynamic = 'force-dynamic';

export default async function WebhookLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ hubId: string; webhookId: string }>;
}) {
  const { hub, webhook, grants } = await loadWebhook(params);
  return (
    <>
      <PageHeader
        breadcrumb={
          <Link href={hubPath(hub.id, '/webhooks')} className="hover:text-zinc-900 hover:underline">
            Webhooks
          </Link>
        }
        title={webhook.label}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            {/* One state indicator: who may switch it sees the switch in the actions; the badge is for the others. */}
            {grants['webhooks:write'] ? null : webhook.active ? (
              <Badge tone="success">Active</Badge>
            ) : (
              <Badge tone="muted">Off</Badge>
            )}
            <span className="font-mono text-xs [overflow-wrap:anywhere] text-zinc-500">
              {webhook.method} {webhook.handlers[0]}
            </span>
          </span>
        }
        actions={
          <>
            {grants['webhooks:write'] ? (
              <span className="flex items-center gap-2 text-sm text-zinc-700">
                <ActiveToggle id={webhook.id} label={webhook.label} active={webhook.active} />
                Active
              </span>
            ) : null}
            {grants['events:send'] ? (
              <SendTestEventButton
                webhookId={webhook.id}
                triggers={webhook.events}
                catalog={catalogForClient()}
                variant="primary"
                note="Sends an event to this webhook only, using its saved settings: save your changes first."
              />
            ) : null}
          </>
        }
      />
      {webhook.disabledReason ? (
        <div className="mb-6">
          <Alert
            tone="warning"
            role="alert"
            title="Herald turned this webhook off"
            actions={grants['webhooks:write'] ? <TurnBackOnButton id={webhook.id} label={webhook.label} /> : null}
          >
            {webhook.disabledReason}
            {webhook.disabledAt ? (
              <span className="block text-xs">Since {formatAbsolute(webhook.disabledAt)}</span>
            ) : null}
          </Alert>
        </div>
      ) : null}
      <DestinationPolicyNote policy={env().HERALD_ALLOW_PRIVATE_DESTINATIONS} />
      <WebhookTabs id={webhook.id} />
      {children}
    </>
  );
}
