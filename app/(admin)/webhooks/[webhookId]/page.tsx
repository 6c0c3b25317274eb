import type { Metadata } from 'next';
import { catalogForClient } from '@/components/test-event/catalog';
import { toEditable } from '@/components/webhook-editor/to-editable';
import { WebhookEditor } from '@/components/webhook-editor/webhook-editor';
import { mailStatus } from '@/lib/notifications/settings';
import { loadWebhook } from './load';

export const metadata: Metadata = { title: 'Webhook' };
export const dynamic = 'force-dynamic';

export default async function WebhookPage({ params }: { params: Promise<{ webhookId: string }> }) {
  const { webhook } = await loadWebhook((await params).webhookId);
  return <WebhookEditor webhook={toEditable(webhook)} catalog={catalogForClient()} mail={mailStatus()} />;
}
