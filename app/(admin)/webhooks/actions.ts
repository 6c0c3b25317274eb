'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { adminAction } from '@/lib/actions/action';
import { redeliver } from '@/lib/deliveries/redeliver';
import { eventDefinition } from '@/lib/events/catalog';
import { emitEvent } from '@/lib/events/emit-event';
import { evaluateFilters } from '@/lib/filters/evaluate';
import { type FilterReport, type TFilter, ZFilter } from '@/lib/filters/types';
import { renderRequest } from '@/lib/templates/render-request';
import { validateTemplate } from '@/lib/templates/validate';
import { createWebhook } from '@/lib/webhooks/create-webhook';
import type { TWebhookInput, TWebhookPatch } from '@/lib/webhooks/types';
import { deleteWebhook, regenerateSecret, updateWebhook } from '@/lib/webhooks/update-webhook';

const ZId = z.string().trim().min(1).max(64);
const ZJsonObject = z.record(z.string(), z.unknown(), { error: 'the payload must be a JSON object' });

function revalidateWebhook(id?: string) {
  revalidatePath('/webhooks');
  if (id) revalidatePath(`/webhooks/${id}`, 'layout');
}

export const createWebhookAction = adminAction(
  'createWebhookAction',
  z.object({ input: z.record(z.string(), z.unknown()) }),
  async ({ input }, { hub }) => {
    const webhook = await createWebhook(hub.id, input as TWebhookInput);
    revalidateWebhook(webhook.id);
    return { id: webhook.id };
  },
);

export const updateWebhookAction = adminAction(
  'updateWebhookAction',
  z.object({ id: ZId, patch: z.record(z.string(), z.unknown()) }),
  async ({ id, patch }, { hub }) => {
    const webhook = await updateWebhook(hub.id, id, patch as TWebhookPatch);
    revalidateWebhook(id);
    return { id: webhook.id, lastModifiedDate: webhook.lastModifiedDate.toISOString() };
  },
);

export const setWebhookActiveAction = adminAction(
  'setWebhookActiveAction',
  z.object({ id: ZId, active: z.boolean() }),
  async ({ id, active }, { hub }) => {
    await updateWebhook(hub.id, id, { active });
    revalidateWebhook(id);
    return { active };
  },
);

export const regenerateSecretAction = adminAction(
  'regenerateSecretAction',
  z.object({ id: ZId }),
  async ({ id }, { hub }) => {
    const webhook = await regenerateSecret(hub.id, id);
    revalidateWebhook(id);
    return { secret: webhook.secret };
  },
);

export const deleteWebhookAction = adminAction(
  'deleteWebhookAction',
  z.object({ id: ZId }),
  async ({ id }, { hub }) => {
    await deleteWebhook(hub.id, id);
    revalidatePath('/webhooks');
    return null;
  },
);

export const sendTestEventAction = adminAction(
  'sendTestEventAction',
  z.object({ webhookId: ZId, name: z.string().max(128), payload: ZJsonObject }),
  async ({ webhookId, name, payload }, { hub }) => {
    const event = await emitEvent(hub.id, { name, payload }, { onlyWebhookId: webhookId });
    const delivery = event.deliveries[0];
    revalidateWebhook(webhookId);
    revalidatePath('/events');
    return { deliveryId: delivery?.id ?? null, status: delivery?.status ?? null, sequenceId: event.sequenceId };
  },
);

export const redeliverAction = adminAction(
  'redeliverAction',
  z.object({ webhookId: ZId, deliveryId: ZId }),
  async ({ webhookId, deliveryId }, { hub }) => {
    await redeliver(hub.id, webhookId, deliveryId);
    revalidateWebhook(webhookId);
    return null;
  },
);

export interface PreviewResult {
  url: string | null;
  body: string | null;
  error: string | null;
  filterReport: FilterReport;
  /** Filters left out of the preview because they are not complete yet (their positions). */
  incompleteFilters: number[];
}

export const previewRequestAction = adminAction(
  'previewRequestAction',
  z.object({
    urlTemplate: z.string().max(4096),
    payloadTemplate: z
      .string()
      .max(64 * 1024)
      .nullable(),
    filters: z.array(z.unknown()).max(20),
    event: z.string().max(128),
    sampleIndex: z.number().int().min(0).max(10),
  }),
  async (input, { hub }): Promise<PreviewResult> => {
    const definition = eventDefinition(input.event);
    const sample = definition?.samples[input.sampleIndex] ?? definition?.samples[0];
    if (!sample) throw new Error(`no sample for ${input.event}`);
    const envelope = { ...sample.envelope, resource: hub.id };
    const valid: TFilter[] = [];
    const incompleteFilters: number[] = [];
    input.filters.forEach((filter, index) => {
      const parsed = ZFilter.safeParse(filter);
      if (parsed.success) valid.push(parsed.data);
      else incompleteFilters.push(index);
    });
    const filterReport = evaluateFilters(valid, envelope);
    const templateCheck =
      input.payloadTemplate !== null ? validateTemplate(input.payloadTemplate, 'payload') : { ok: true as const };
    if (!templateCheck.ok) {
      return { url: null, body: null, error: templateCheck.message, filterReport, incompleteFilters };
    }
    if (!input.urlTemplate.trim()) {
      return { url: null, body: null, error: 'Enter a URL to preview the request', filterReport, incompleteFilters };
    }
    const rendered = await renderRequest({
      hubId: hub.id,
      urlTemplate: input.urlTemplate.trim(),
      payloadTemplate: input.payloadTemplate,
      envelope: envelope as unknown as Record<string, unknown>,
    });
    if (!rendered.ok) return { url: null, body: null, error: rendered.error, filterReport, incompleteFilters };
    return { url: rendered.url, body: rendered.body, error: null, filterReport, incompleteFilters };
  },
);
