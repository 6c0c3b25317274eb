import type { ReactNode } from 'react';
import { Section } from '@/components/ui/card';
import { CodeBlock } from '@/components/ui/code-block';
import { AddressStatus } from '@/components/webhook-editor/address-status';
import { eventDefinition } from '@/lib/events/catalog';
import type { Webhook } from '@/lib/webhooks/types';

const MASK = '********';

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-2.5 sm:grid-cols-[10rem_1fr] sm:gap-4">
      <dt className="text-sm font-medium text-zinc-600">{term}</dt>
      <dd className="min-w-0 text-sm text-zinc-900">{children}</dd>
    </div>
  );
}

/**
 * A webhook's settings, read-only: what a Viewer gets instead of the editor. It is given the
 * webhook as the Viewer may see it (no secret, see lib/webhooks/redact.ts) and has no controls.
 */
export function WebhookSummary({ webhook }: { webhook: Webhook }) {
  return (
    <div className="space-y-6" data-testid="webhook-summary">
      <Section
        id="summary"
        title="Settings"
        description="You have read-only access: ask an Owner for the Editor role to change this webhook."
      >
        <dl className="divide-y divide-zinc-100">
          <Row term="Name">{webhook.label}</Row>
          <Row term="URL">
            <span className="font-mono text-xs [overflow-wrap:anywhere]">{webhook.handlers.join(', ')}</span>
          </Row>
          <Row term="Method">{webhook.method}</Row>
          <Row term="Triggers">
            <ul className="space-y-0.5">
              {webhook.events.map((name) => (
                <li key={name}>{eventDefinition(name)?.label ?? name}</li>
              ))}
            </ul>
          </Row>
          <Row term="Filters">
            {webhook.filters.length === 0 ? (
              'None: every triggering event is sent'
            ) : (
              <ul className="space-y-1 font-mono text-xs">
                {webhook.filters.map((filter, index) => (
                  <li key={`${index}-${filter.arguments[0].jsonPath}`} className="[overflow-wrap:anywhere]">
                    {filter.type === 'changed'
                      ? `${filter.arguments[0].jsonPath} changed`
                      : `${filter.arguments[0].jsonPath} ${filter.type === 'equal' ? '=' : 'in'} ${JSON.stringify(filter.arguments[1].value)}`}
                  </li>
                ))}
              </ul>
            )}
          </Row>
          <Row term="Headers">
            {webhook.headers.length === 0 ? (
              'Only the standard headers'
            ) : (
              <ul className="space-y-1 font-mono text-xs">
                {webhook.headers.map((header) => (
                  <li key={header.key} className="[overflow-wrap:anywhere]">
                    {header.key}: {header.secret ? MASK : header.value}
                  </li>
                ))}
              </ul>
            )}
          </Row>
          <Row term="Notifications">
            {webhook.notifications.length === 0
              ? 'None'
              : webhook.notifications.map((notification) => (
                  <span key={notification.email} className="inline-flex flex-wrap items-center gap-2">
                    {notification.email} <AddressStatus confirmed={notification.confirmed} />
                  </span>
                ))}
          </Row>
          <Row term="Secret">
            <span className="text-zinc-500">Hidden: your role cannot see secrets.</span>
          </Row>
        </dl>
      </Section>
      <Section id="payload" title="Payload">
        {webhook.customPayload ? (
          <CodeBlock label="Payload template">{webhook.customPayload.value}</CodeBlock>
        ) : (
          <p className="text-sm text-zinc-700">Standard: the event envelope as JSON.</p>
        )}
      </Section>
    </div>
  );
}
