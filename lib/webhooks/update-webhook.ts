import type { z } from 'zod';
import { diffFields } from '../audit/diff';
import { recordAudit } from '../audit/record-audit';
import { type AuditContext, SYSTEM_CONTEXT } from '../audit/types';
import { env } from '../config/env';
import { decryptOrNull, encrypt } from '../crypto/secret-box';
import { type Prisma, prisma } from '../db/client';
import { NotFoundError, parseInput, ValidationError } from '../errors';
import { addressKey, confirmedAddresses, nameAddresses } from '../notifications/addresses';
import { changedSecretHeaders, webhookAuditView } from './audit-view';
import { deliveryColumns } from './delivery-settings';
import {
  filterRows,
  headerRows,
  MissingSecretValueError,
  namedAddresses,
  toWebhook,
  WEBHOOK_INCLUDE,
  WEBHOOK_OMIT,
} from './mapping';
import { generateSecret } from './secret';
import { type Webhook, ZWebhookPatch } from './types';

/**
 * Applies a PATCH: only the fields present change. Headers and filters, when present, replace
 * the lists; secret headers sent back with `value: null` keep their stored value. The patch is
 * unchecked input (an API body, a form), validated here. What changed is recorded in the audit
 * log in the same transaction (secrets as 'changed'); a patch that changes nothing records nothing.
 */
export async function updateWebhook(
  hubId: string,
  id: string,
  patch: unknown,
  context: AuditContext = SYSTEM_CONTEXT,
): Promise<Webhook> {
  return applyPatch(hubId, id, parseInput(ZWebhookPatch, patch), context);
}

async function applyPatch(
  hubId: string,
  id: string,
  data: z.output<typeof ZWebhookPatch>,
  context: AuditContext,
  regenerated = false,
): Promise<Webhook> {
  return prisma().$transaction(async (tx) => {
    const current = await tx.webhook.findFirst({
      where: { id, hubId },
      include: {
        ...WEBHOOK_INCLUDE,
        headers: {
          orderBy: { position: 'asc' },
          select: { key: true, value: true, valueCiphertext: true, secret: true },
        },
      },
      omit: WEBHOOK_OMIT,
    });
    if (!current) throw new NotFoundError('Webhook', id);
    // Confirmation is not part of the audit view: an empty set serves for the comparison.
    const before = webhookAuditView(toWebhook(current, new Set()));
    let secretHeaders: string[] = [];

    const update: Prisma.WebhookUpdateInput = {};
    if (data.label !== undefined) update.label = data.label;
    if (data.events !== undefined) update.events = data.events;
    if (data.handlers !== undefined) update.handlers = data.handlers;
    if (data.notifications !== undefined) update.notifications = data.notifications;
    if (data.method !== undefined) update.method = data.method;
    if (data.rateLimit !== undefined) update.rateLimit = data.rateLimit;
    if (data.delivery !== undefined) Object.assign(update, deliveryColumns(data.delivery));
    if (data.active !== undefined) {
      update.active = data.active;
      // Turning a webhook back on clears why it was turned off.
      if (data.active) Object.assign(update, { disabledReason: null, disabledAt: null, failingSince: null });
    }
    if (data.customPayload !== undefined) {
      update.customPayloadType = data.customPayload?.type ?? null;
      update.customPayloadValue = data.customPayload?.value ?? null;
    }
    const secretChanged = data.secret !== undefined && data.secret !== decryptOrNull(current.secretCiphertext);
    if (secretChanged && data.secret !== undefined) {
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
      secretHeaders = changedSecretHeaders(current.headers, rows);
      await tx.webhookHeader.deleteMany({ where: { webhookId: id } });
      update.headers = { create: rows };
    }
    const row = await tx.webhook.update({ where: { id }, data: update, include: WEBHOOK_INCLUDE, omit: WEBHOOK_OMIT });
    // Only an address the webhook did not name before counts as newly named (its link, if any, is queued).
    const previous = new Set(namedAddresses(current).map(addressKey));
    await nameAddresses(
      tx,
      namedAddresses(row).filter((email) => !previous.has(addressKey(email))),
    );
    const webhook = toWebhook(row, await confirmedAddresses(namedAddresses(row), tx));
    const changes = diffFields(before, webhookAuditView(webhook));
    for (const header of secretHeaders) changes[header] = 'changed';
    if (secretChanged) changes.secret = 'changed';
    const fields = Object.keys(changes);
    if (fields.length > 0) {
      await recordAudit(tx, {
        hubId,
        ...context,
        action: regenerated
          ? 'webhook.secret-regenerated'
          : fields.length === 1 && fields[0] === 'active'
            ? webhook.active
              ? 'webhook.enabled'
              : 'webhook.disabled'
            : 'webhook.updated',
        target: { type: 'webhook', id, label: webhook.label },
        changes,
      });
    }
    return webhook;
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

export async function regenerateSecret(
  hubId: string,
  id: string,
  context: AuditContext = SYSTEM_CONTEXT,
): Promise<Webhook> {
  return applyPatch(hubId, id, { secret: generateSecret() }, context, true);
}

export async function deleteWebhook(hubId: string, id: string, context: AuditContext = SYSTEM_CONTEXT): Promise<void> {
  await prisma().$transaction(async (tx) => {
    const deleted = await tx.webhook.findFirst({ where: { id, hubId }, select: { label: true } });
    const { count } = await tx.webhook.deleteMany({ where: { id, hubId } });
    if (count === 0 || !deleted) throw new NotFoundError('Webhook', id);
    await recordAudit(tx, {
      hubId,
      ...context,
      action: 'webhook.deleted',
      target: { type: 'webhook', id, label: deleted.label },
    });
  });
}
