import type { Metadata } from 'next';
import { catalogForClient } from '@/components/test-event/catalog';
import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { WebhookTable } from '@/components/webhook-list/webhook-table';
import { adminContext } from '@/lib/actions/action';
import { webhookStats } from '@/lib/activity-log/webhook-stats';
import { grantsOf } from '@/lib/auth/roles';
import { hubPath } from '@/lib/hubs/hub-paths';
import { listWebhooks } from '@/lib/webhooks/get-webhooks';
import { webhookForRole } from '@/lib/webhooks/redact';

export const metadata: Metadata = { title: 'Webhooks' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 50;

export default async function WebhooksPage({
  params,
  searchParams,
}: {
  params: Promise<{ hubId: string }>;
  searchParams: Promise<{ page?: string }>;
}) {
  const { hub, user } = await adminContext((await params).hubId);
  const grants = grantsOf(user.role);
  const page = Math.max(0, Number.parseInt((await searchParams).page ?? '0', 10) || 0);
  const [list, stats] = await Promise.all([
    listWebhooks(hub.id, { page, size: PAGE_SIZE, sort: { field: 'createdDate', direction: 'desc' } }),
    webhookStats(hub.id),
  ]);
  const create = grants['webhooks:write'] ? (
    <ButtonLink href={hubPath(hub.id, '/webhooks/new')} variant="primary">
      Create webhook
    </ButtonLink>
  ) : null;
  return (
    <>
      <PageHeader
        title="Webhooks"
        description={
          <>
            The webhooks of hub <span className="font-medium">{hub.label}</span>: each sends the events it subscribes
            to, filtered, templated and signed, to a URL of yours.
          </>
        }
        actions={list.page.totalElements > 0 ? create : null}
      />
      {list.page.totalElements === 0 ? (
        <EmptyState title="No webhooks yet" actions={create}>
          <p>
            A webhook tells another system when something happens in your content: when an item is published, say,
            Herald sends an HTTP request to the URL you choose, with the event as JSON (or a payload you shape with
            handlebars), signed with the webhook&apos;s secret. Filters decide which events are sent; the activity log
            shows every delivery and its response.
          </p>
        </EmptyState>
      ) : (
        <WebhookTable
          hubId={hub.id}
          webhooks={list.items.map((webhook) => webhookForRole(webhook, user.role))}
          stats={stats}
          catalog={catalogForClient()}
          canWrite={grants['webhooks:write']}
          canSend={grants['events:send']}
        />
      )}
      {list.page.totalPages > 1 ? (
        <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm">
          {page > 0 ? <ButtonLink href={hubPath(hub.id, `/webhooks?page=${page - 1}`)}>Previous</ButtonLink> : <span />}
          <span className="text-zinc-500">
            Page {page + 1} of {list.page.totalPages}
          </span>
          {page + 1 < list.page.totalPages ? (
            <ButtonLink href={hubPath(hub.id, `/webhooks?page=${page + 1}`)}>Next</ButtonLink>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </>
  );
}
