import type { Metadata } from 'next';
import { catalogForClient } from '@/components/test-event/catalog';
import { toEditable } from '@/components/webhook-editor/to-editable';
import { WebhookEditor } from '@/components/webhook-editor/webhook-editor';
import { WebhookSummary } from '@/components/webhook-view/webhook-summary';
import { mailStatus } from '@/lib/notifications/settings';
import { loadWebhook } from './load';

export const metadata: Metadata = { title: 'Webhook' };
export const dynamic = 'force-dynamic';

export default async function WebhookPage({ params }: { params: Promise<{ hubId: string; webhookId: string }> }) {
  const { webhook, grants } = await loadWebhook(params);
  // Without write access there is no editor at all: the settings are shown read-only.
  if (!grants['webhooks:write']) return <WebhookSummary webhook={webhook} />;
  return <WebhookEditor webhook={toEditable(webhook)} catalog={catalogForClient()} mail={mailStatus()} />;
}
