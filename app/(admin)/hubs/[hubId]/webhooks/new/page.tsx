import type { Metadata } from 'next';
import Link from 'next/link';
import { RoleRefusal } from '@/components/layout/role-refusal';
import { catalogForClient } from '@/components/test-event/catalog';
import { PageHeader } from '@/components/ui/page-header';
import { DestinationPolicyNote } from '@/components/webhook-editor/destination-policy-note';
import { WebhookEditor } from '@/components/webhook-editor/webhook-editor';
import { adminContext } from '@/lib/actions/action';
import { can } from '@/lib/auth/roles';
import { env } from '@/lib/config/env';
import { hubPath } from '@/lib/hubs/hub-paths';
import { mailStatus } from '@/lib/notifications/settings';

export const metadata: Metadata = { title: 'Create webhook' };
export const dynamic = 'force-dynamic';

export default async function NewWebhookPage({ params }: { params: Promise<{ hubId: string }> }) {
  const { hub, user } = await adminContext((await params).hubId);
  if (!can(user.role, 'webhooks:write')) {
    return <RoleRefusal role={user.role} permission="webhooks:write" backHref={hubPath(hub.id, '/webhooks')} />;
  }
  return (
    <>
      <PageHeader
        breadcrumb={
          <Link href={hubPath(hub.id, '/webhooks')} className="hover:text-zinc-900 hover:underline">
            Webhooks
          </Link>
        }
        title="Create webhook"
        description="Choose the events, where to send them, and how the request looks. You can send a test event once it is saved."
      />
      <DestinationPolicyNote policy={env().HERALD_ALLOW_PRIVATE_DESTINATIONS} />
      <WebhookEditor webhook={null} catalog={catalogForClient()} mail={mailStatus()} />
    </>
  );
}
