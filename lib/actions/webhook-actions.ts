'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { redeliver } from '../activity-log/redeliver';
import { type PreviewResult, previewRequest } from '../templates/preview-request';
import { createWebhook } from '../webhooks/create-webhook';
import { sendTestEvent } from '../webhooks/send-test-event';
import { deleteWebhook, regenerateSecret, updateWebhook } from '../webhooks/update-webhook';
import { adminAction } from './action';

const ZId = z.string().trim().min(1).max(64);
const ZJsonObject = z.record(z.string(), z.unknown(), { error: 'the payload must be a JSON object' });

// Admin pages live under /hubs/{hubId}/: these patterns cover every hub's list and webhook pages.
const WEBHOOK_PAGES = '/hubs/[hubId]/webhooks';
const EVENTS_PAGE = '/hubs/[hubId]/events';

function revalidateWebhook() {
  revalidatePath(WEBHOOK_PAGES, 'layout');
}

export const createWebhookAction = adminAction(
  'createWebhookAction',
  z.object({ input: z.record(z.string(), z.unknown()) }),
  async ({ input }, { hub, audit }) => {
    const webhook = await createWebhook(hub.id, input, audit);
    revalidateWebhook();
    return { id: webhook.id, notifications: webhook.notifications };
  },
  { permission: 'webhooks:write' },
);

export const updateWebhookAction = adminAction(
  'updateWebhookAction',
  z.object({ id: ZId, patch: z.record(z.string(), z.unknown()) }),
  async ({ id, patch }, { hub, audit }) => {
    const webhook = await updateWebhook(hub.id, id, patch, audit);
    revalidateWebhook();
    return {
      id: webhook.id,
      lastModifiedDate: webhook.lastModifiedDate.toISOString(),
      notifications: webhook.notifications,
    };
  },
  { permission: 'webhooks:write' },
);

export const setWebhookActiveAction = adminAction(
  'setWebhookActiveAction',
  z.object({ id: ZId, active: z.boolean() }),
  async ({ id, active }, { hub, audit }) => {
    await updateWebhook(hub.id, id, { active }, audit);
    revalidateWebhook();
    return { active };
  },
  { permission: 'webhooks:write' },
);

export const regenerateSecretAction = adminAction(
  'regenerateSecretAction',
  z.object({ id: ZId }),
  async ({ id }, { hub, audit }) => {
    const webhook = await regenerateSecret(hub.id, id, audit);
    revalidateWebhook();
    return { secret: webhook.secret };
  },
  { permission: 'webhooks:write' },
);

export const deleteWebhookAction = adminAction(
  'deleteWebhookAction',
  z.object({ id: ZId }),
  async ({ id }, { hub, audit }) => {
    await deleteWebhook(hub.id, id, audit);
    revalidatePath(WEBHOOK_PAGES, 'layout');
    return null;
  },
  { permission: 'webhooks:write' },
);

export const sendTestEventAction = adminAction(
  'sendTestEventAction',
  z.object({ webhookId: ZId, name: z.string().max(128), payload: ZJsonObject }),
  async ({ webhookId, name, payload }, { hub, audit }) => {
    const event = await sendTestEvent(hub.id, webhookId, { name, payload }, audit);
    const delivery = event.deliveries[0];
    revalidateWebhook();
    revalidatePath(EVENTS_PAGE, 'page');
    return { deliveryId: delivery?.id ?? null, status: delivery?.status ?? null, sequenceId: event.sequenceId };
  },
  { permission: 'events:send' },
);

export const redeliverAction = adminAction(
  'redeliverAction',
  z.object({ webhookId: ZId, deliveryId: ZId }),
  async ({ webhookId, deliveryId }, { hub, audit }) => {
    await redeliver(hub.id, webhookId, deliveryId, audit);
    revalidateWebhook();
    return null;
  },
  { permission: 'deliveries:redeliver' },
);

export type { PreviewResult };

/** The editor's live preview; `previewRequest` validates the input itself. */
export const previewRequestAction = adminAction(
  'previewRequestAction',
  z.unknown(),
  (input, { hub }) => previewRequest(hub.id, input),
  { permission: 'read' },
);
