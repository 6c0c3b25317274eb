import { createdFields } from '../audit/diff';
import { recordAudit } from '../audit/record-audit';
import { type AuditContext, SYSTEM_CONTEXT } from '../audit/types';
import { objectId } from '../crypto/random';
import { encrypt } from '../crypto/secret-box';
import { prisma } from '../db/client';
import { parseInput, ValidationError } from '../errors';
import { getHub } from '../hubs/hubs';
import { webhookAuditView } from './audit-view';
import { filterRows, headerRows, MissingSecretValueError, toWebhook, WEBHOOK_INCLUDE, WEBHOOK_OMIT } from './mapping';
import { generateSecret } from './secret';
import { type Webhook, ZWebhookInput } from './types';

/**
 * Creates a webhook from unchecked input (an API body, a form): validated here, once. The audit
 * entry (who, from where: `context`) commits with the webhook.
 */
export async function createWebhook(
  hubId: string,
  input: unknown,
  context: AuditContext = SYSTEM_CONTEXT,
): Promise<Webhook> {
  const data = parseInput(ZWebhookInput, input);
  await getHub(hubId);
  let headers: ReturnType<typeof headerRows>;
  try {
    headers = headerRows(data.headers);
  } catch (error) {
    if (error instanceof MissingSecretValueError) {
      throw ValidationError.single(`headers.${error.position}.value`, 'a secret header needs a value');
    }
    throw error;
  }
  return prisma().$transaction(async (tx) => {
    const row = await tx.webhook.create({
      data: {
        id: objectId(),
        hubId,
        label: data.label,
        events: data.events,
        handlers: data.handlers,
        active: data.active,
        notifications: data.notifications,
        method: data.method,
        secretCiphertext: encrypt(data.secret ?? generateSecret()),
        customPayloadType: data.customPayload ? data.customPayload.type : null,
        customPayloadValue: data.customPayload ? data.customPayload.value : null,
        headers: { create: headers },
        filters: { create: filterRows(data.filters) },
      },
      include: WEBHOOK_INCLUDE,
      omit: WEBHOOK_OMIT,
    });
    const webhook = toWebhook(row);
    await recordAudit(tx, {
      hubId,
      ...context,
      action: 'webhook.created',
      target: { type: 'webhook', id: webhook.id, label: webhook.label },
      changes: createdFields(webhookAuditView(webhook)),
    });
    return webhook;
  });
}
