import { createdFields } from '../audit/diff';
import { recordAudit } from '../audit/record-audit';
import { type AuditContext, SYSTEM_CONTEXT } from '../audit/types';
import { env } from '../config/env';
import { objectId } from '../crypto/random';
import { encrypt } from '../crypto/secret-box';
import { type Prisma, prisma } from '../db/client';
import { param, queryInPrisma, sql, statement } from '../db/sql';
import { DomainError, parseInput, ValidationError } from '../errors';
import { getHub } from '../hubs/hubs';
import { confirmedAddresses, nameAddresses } from '../notifications/addresses';
import { webhookAuditView } from './audit-view';
import { deliveryColumns, EVERY_DELIVERY } from './delivery-settings';
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
import { type Webhook, ZWebhookInput } from './types';

/** A hub holds HERALD_MAX_WEBHOOKS_PER_HUB webhooks already; the API answers 409 WEBHOOK_LIMIT_REACHED. */
export class WebhookLimitReachedError extends DomainError {
  override name = 'WebhookLimitReachedError';
  constructor(readonly limit: number) {
    super(
      `This hub already has ${limit} webhooks, the most it may hold (HERALD_MAX_WEBHOOKS_PER_HUB); delete one first`,
    );
  }
}

const HOLD_HUB = statement(
  'webhooks-hold-hub',
  { hubId: param<string>() },
  (p) => sql`SELECT 1 FROM hubs WHERE id = ${p.hubId} FOR NO KEY UPDATE`,
);

/**
 * Refuses a create that would take the hub past its limit. The hub's row is locked first (the same
 * lock the webhook insert's trigger takes to bump the hub's webhooks version), so two creates in
 * one hub count one after the other and cannot both take the last place.
 */
async function holdWebhookRoom(tx: Prisma.TransactionClient, hubId: string, limit: number): Promise<void> {
  await queryInPrisma(tx, HOLD_HUB, { hubId });
  const count = await tx.webhook.count({ where: { hubId } });
  if (count >= limit) throw new WebhookLimitReachedError(limit);
}

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
    await holdWebhookRoom(tx, hubId, env().HERALD_MAX_WEBHOOKS_PER_HUB);
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
        rateLimit: data.rateLimit ?? null,
        ...deliveryColumns(data.delivery ?? EVERY_DELIVERY),
        secretCiphertext: encrypt(data.secret ?? generateSecret()),
        customPayloadType: data.customPayload ? data.customPayload.type : null,
        customPayloadValue: data.customPayload ? data.customPayload.value : null,
        headers: { create: headers },
        filters: { create: filterRows(data.filters) },
      },
      include: WEBHOOK_INCLUDE,
      omit: WEBHOOK_OMIT,
    });
    // Named in the same transaction: a webhook saved is an address remembered, its link queued.
    await nameAddresses(tx, namedAddresses(row));
    const webhook = toWebhook(row, await confirmedAddresses(namedAddresses(row), tx));
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
