import Link from 'next/link';
import type { ReactNode } from 'react';
import { Section } from '@/components/ui/card';
import { CodeBlock, prettyJson } from '@/components/ui/code-block';
import { formatAbsolute } from '@/components/ui/time';
import type { DeliveryView } from '@/lib/activity-log/read-deliveries';
import { hubPath } from '@/lib/hubs/hub-paths';
import { AttemptList } from './attempt-list';
import { attemptsNote, filterVerdict } from './delivery-wording';
import { FilterReportView } from './filter-report';
import { HeadersTable } from './headers-table';

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-zinc-500 uppercase">{term}</dt>
      <dd className="mt-0.5 text-sm [overflow-wrap:anywhere] text-zinc-900">{children}</dd>
    </div>
  );
}

export function DeliveryDetails({ delivery }: { delivery: DeliveryView }) {
  return (
    <div className="space-y-5">
      <Section id="summary" title="Summary">
        <dl className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <Item term="Delivery id (webhook-id)">
            <span className="font-mono text-xs">{delivery.id}</span>
          </Item>
          <Item term="Event">
            <span className="font-mono text-xs">
              {delivery.event.name} #{delivery.event.sequenceId}
            </span>
          </Item>
          <Item term="Event id">
            <span className="font-mono text-xs">{delivery.event.id}</span>
          </Item>
          <Item term="Created">{formatAbsolute(delivery.createdDate)}</Item>
          <Item term="Delivered">{delivery.deliveredAt ? formatAbsolute(delivery.deliveredAt) : '—'}</Item>
          <Item term="Attempts">{delivery.status === 'FILTERED' ? 'None (filtered)' : delivery.attempts.length}</Item>
          {delivery.nextAttemptAt && (delivery.status === 'RETRYING' || delivery.status === 'QUEUED') ? (
            <Item term="Next attempt">{formatAbsolute(delivery.nextAttemptAt)}</Item>
          ) : null}
          {delivery.lastError ? <Item term="Last error">{delivery.lastError}</Item> : null}
          {delivery.deliveryKey !== null ? (
            <Item term="Key (latest version only)">
              <span className="font-mono text-xs">{delivery.deliveryKey}</span>
            </Item>
          ) : null}
          {delivery.supersededBy !== null && delivery.status === 'SUPERSEDED' ? (
            <Item term="Superseded by">
              <Link
                href={hubPath(delivery.hubId, `/webhooks/${delivery.webhookId}/activity/${delivery.supersededBy}`)}
                className="font-mono text-xs text-sky-700 underline hover:text-sky-900"
              >
                {delivery.supersededBy}
              </Link>
              <span className="block text-xs text-zinc-500">
                A newer version of the same key; this one is never sent.
              </span>
            </Item>
          ) : null}
        </dl>
      </Section>
      <Section
        id="filter-report"
        title="Filters"
        description={filterVerdict({
          status: delivery.status,
          matched: delivery.filterReport.matched,
          rendered: delivery.request !== null,
          lastError: delivery.lastError,
        })}
      >
        <FilterReportView report={delivery.filterReport} />
      </Section>
      {delivery.payloadTemplate !== null || (delivery.urlTemplate ?? '').includes('{{') ? (
        <Section id="templates" title="Templates used" description="As they were when this request was rendered.">
          <div className="space-y-3">
            {(delivery.urlTemplate ?? '').includes('{{') ? (
              <div>
                <h3 className="mb-1 text-xs font-semibold text-zinc-600 uppercase">URL template</h3>
                <CodeBlock label="URL template">{delivery.urlTemplate ?? ''}</CodeBlock>
              </div>
            ) : null}
            {delivery.payloadTemplate !== null ? (
              <div>
                <h3 className="mb-1 text-xs font-semibold text-zinc-600 uppercase">Custom payload</h3>
                <CodeBlock label="Custom payload template">{delivery.payloadTemplate}</CodeBlock>
              </div>
            ) : null}
          </div>
        </Section>
      ) : null}
      <Section id="request" title="Request">
        {delivery.request ? (
          <div className="space-y-4">
            <p
              className="rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-xs [overflow-wrap:anywhere]"
              data-testid="request-line"
            >
              <span className="font-semibold">{delivery.request.method}</span> {delivery.request.url}
            </p>
            <div>
              <h3 className="mb-1 text-xs font-semibold text-zinc-600 uppercase">Headers</h3>
              <HeadersTable headers={delivery.request.headers} label="Request headers" />
            </div>
            <div>
              <h3 className="mb-1 text-xs font-semibold text-zinc-600 uppercase">Body</h3>
              <CodeBlock label="Request body">{prettyJson(delivery.request.body)}</CodeBlock>
            </div>
          </div>
        ) : (
          <p className="text-sm text-zinc-500">
            {delivery.status === 'FILTERED'
              ? 'Not sent: the filters did not match this event.'
              : delivery.lastError
                ? `Not rendered: ${delivery.lastError}`
                : delivery.status === 'SUPERSEDED'
                  ? 'Not sent: a newer version of the same key superseded it.'
                  : 'Not rendered yet: the first attempt renders the request.'}
          </p>
        )}
      </Section>
      <Section
        id="attempts"
        title="Attempts"
        description={
          (delivery.attempts.length === 0 ? attemptsNote(delivery.status) : null) ??
          "Newest first: each response's status, headers, body and timing."
        }
      >
        {delivery.status === 'FILTERED' && delivery.attempts.length === 0 ? null : (
          <AttemptList attempts={delivery.attempts} />
        )}
      </Section>
    </div>
  );
}
