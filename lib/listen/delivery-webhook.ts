import { z } from 'zod';
import { decrypt, decryptOrNull } from '../crypto/secret-box';
import { prisma } from '../db/client';

/** The webhook a delivery was made for, with the secrets that may have signed it. */
export interface DeliveryWebhook {
  webhookId: string;
  label: string;
  secrets: string[];
}

const ZDeliveryId = z.uuid();

/**
 * Finds the webhook of a delivery by the `webhook-id` header, which is the delivery's id: a
 * receiver started before its webhook existed still needs no webhook id in its URL.
 */
export async function findDeliveryWebhook(
  deliveryId: string,
  now: number = Date.now(),
): Promise<DeliveryWebhook | null> {
  if (!ZDeliveryId.safeParse(deliveryId).success) return null;
  const delivery = await prisma().delivery.findFirst({ where: { id: deliveryId }, select: { webhookId: true } });
  if (!delivery) return null;
  const webhook = await prisma().webhook.findUnique({
    where: { id: delivery.webhookId },
    select: {
      id: true,
      label: true,
      secretCiphertext: true,
      previousSecretCiphertext: true,
      previousSecretExpiresAt: true,
    },
  });
  if (!webhook) return null;
  const previous =
    webhook.previousSecretCiphertext &&
    webhook.previousSecretExpiresAt &&
    webhook.previousSecretExpiresAt.getTime() > now
      ? decryptOrNull(webhook.previousSecretCiphertext)
      : null;
  return {
    webhookId: webhook.id,
    label: webhook.label,
    secrets: [decrypt(webhook.secretCiphertext), ...(previous ? [previous] : [])],
  };
}
