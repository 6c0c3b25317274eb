import type { Metadata } from 'next';
import { catalogForClient } from '@/components/test-event/catalog';
import { ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { WebhookTable } from '@/components/webhook-list/webhook-table';
import { adminContext } from '@/lib/actions/action';
import { webhookStats } from '@/lib/activity-log/webhook-stats';
import { listWebhooks } from '@/lib/webhooks/get-webhooks';

export const metadata: Metadata = { title: 'Webhooks' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 50;

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  const { hub } = await adminContext();
  const page = Math.max(0, Number.parseInt((await searchParams).page ?? '0', 10) || 0);
  const [list, stats] = await Promise.all([
    listWebhooks(hub.id, { page, size: PAGE_SIZE, sort: { field: 'createdDate', direction: 'desc' } }),
    webhookStats(hub.id),
  ]);
  const create = (
    <ButtonLink href="/webhooks/new" variant="primary">
      Create webhook
    </ButtonLink>
  );
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Each webhook sends the events it subscribes to, filtered, templated and signed, to a URL of yours."
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
        <WebhookTable webhooks={list.items} stats={stats} catalog={catalogForClient()} />
      )}
      {list.page.totalPages > 1 ? (
        <nav aria-label="Pages" className="mt-4 flex items-center justify-between text-sm">
          {page > 0 ? <ButtonLink href={`/webhooks?page=${page - 1}`}>Previous</ButtonLink> : <span />}
          <span className="text-zinc-500">
            Page {page + 1} of {list.page.totalPages}
          </span>
          {page + 1 < list.page.totalPages ? (
            <ButtonLink href={`/webhooks?page=${page + 1}`}>Next</ButtonLink>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
    </>
  );
}
