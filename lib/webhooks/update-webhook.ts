import { env } from '../config/env';
import { decryptOrNull, encrypt } from '../crypto/secret-box';
import { type Prisma, prisma } from '../db/client';
import { NotFoundError, parseInput, ValidationError } from '../errors';
import { filterRows, headerRows, MissingSecretValueError, toWebhook, WEBHOOK_INCLUDE, WEBHOOK_OMIT } from './mapping';
import { generateSecret } from './secret';
import { type TWebhookPatch, type Webhook, ZWebhookPatch } from './types';

/**
 * Applies a PATCH: only the fields present change. Headers and filters, when present, replace
 * the lists; secret headers sent back with `value: null` keep their stored value. The patch is
 * unchecked input (an API body, a form), validated here.
 */
export async function updateWebhook(hubId: string, id: string, patch: unknown): Promise<Webhook> {
  const data = parseInput(ZWebhookPatch, patch);
  return prisma().$transaction(async (tx) => {
    const current = await tx.webhook.findFirst({
      where: { id, hubId },
      include: { headers: { select: { key: true, valueCiphertext: true, secret: true } } },
      omit: WEBHOOK_OMIT,
    });
    if (!current) throw new NotFoundError('Webhook', id);

    const update: Prisma.WebhookUpdateInput = {};
    if (data.label !== undefined) update.label = data.label;
    if (data.events !== undefined) update.events = data.events;
    if (data.handlers !== undefined) update.handlers = data.handlers;
    if (data.notifications !== undefined) update.notifications = data.notifications;
    if (data.method !== undefined) update.method = data.method;
    if (data.active !== undefined) {
      update.active = data.active;
      // Turning a webhook back on clears why it was turned off.
      if (data.active) Object.assign(update, { disabledReason: null, disabledAt: null, failingSince: null });
    }
    if (data.customPayload !== undefined) {
      update.customPayloadType = data.customPayload?.type ?? null;
      update.customPayloadValue = data.customPayload?.value ?? null;
    }
    if (data.secret !== undefined && data.secret !== decryptOrNull(current.secretCiphertext)) {
      Object.assign(update, rotatedSecret(current.secretCiphertext, data.secret));
    }
    if (data.filters !== undefined) {
      await tx.webhookFilter.deleteMany({ where: { webhookId: id } });
      update.filters = { create: filterRows(data.filters) };
    }
    if (data.headers !== undefined) {
      const secrets = new Map(
        current.headers.flatMap((header) =>
          header.secret && header.valueCiphertext ? [[header.key.toLowerCase(), header.valueCiphertext] as const] : [],
        ),
      );
      let rows: ReturnType<typeof headerRows>;
      try {
        rows = headerRows(data.headers, secrets);
      } catch (error) {
        if (error instanceof MissingSecretValueError) {
          throw ValidationError.single(`headers.${error.position}.value`, 'a new secret header needs a value');
        }
        throw error;
      }
      await tx.webhookHeader.deleteMany({ where: { webhookId: id } });
      update.headers = { create: rows };
    }
    const row = await tx.webhook.update({ where: { id }, data: update, include: WEBHOOK_INCLUDE, omit: WEBHOOK_OMIT });
    return toWebhook(row);
  });
}

/** The new secret signs from now on; the previous one keeps signing `webhook-signature` for the grace period. */
function rotatedSecret(previousCiphertext: string, secret: string) {
  return {
    secretCiphertext: encrypt(secret),
    previousSecretCiphertext: previousCiphertext,
    previousSecretExpiresAt: new Date(Date.now() + env().HERALD_SECRET_GRACE_PERIOD),
  };
}

export async function regenerateSecret(hubId: string, id: string): Promise<Webhook> {
  const patch: TWebhookPatch = { secret: generateSecret() };
  return updateWebhook(hubId, id, patch);
}

export async function deleteWebhook(hubId: string, id: string): Promise<void> {
  const { count } = await prisma().webhook.deleteMany({ where: { id, hubId } });
  if (count === 0) throw new NotFoundError('Webhook', id);
}
