import { recordAudit } from '../audit/record-audit';
import { type AuditContext, SYSTEM_CONTEXT } from '../audit/types';
import { database, prisma } from '../db/client';
import { executeInPrisma, param, sql, statement } from '../db/sql';
import { DomainError, NotFoundError } from '../errors';
import { armWebhooks } from '../outbox/arm';
import { refuseOlderVersion } from './latest-versions';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class DeliveryInProgressError extends DomainError {
  override name = 'DeliveryInProgressError';
  constructor(id: string) {
    super(`Request ${id} is being sent right now; redeliver it once this attempt ends`);
  }
}

// Planned with the id, so only that id's day partition is read.
const REDELIVER = statement(
  'activity-redeliver',
  { id: param<string>('uuid'), hubId: param<string>(), webhookId: param<string>() },
  (p) => sql`
      UPDATE deliveries
         SET status = 'QUEUED', chain = chain + 1, attempt_count = 0, next_attempt_at = now(),
             lease_until = NULL, lease_owner = NULL, last_error = NULL, last_modified_date = now(),
             pending_since = CASE WHEN delivery_key IS NOT NULL THEN now() END
       WHERE id = ${p.id} AND hub_id = ${p.hubId} AND webhook_id = ${p.webhookId}
         AND (lease_until IS NULL OR lease_until < now())`,
  { planEachRun: true },
);

/**
 * Starts a new attempt chain for any delivery (a filtered one included): it is queued now, with
 * the retry schedule from the start. A request already rendered is resent as it was. For a
 * latest-mode webhook, a superseded delivery or an older version of its key is refused.
 */
export async function redeliver(
  hubId: string,
  webhookId: string,
  id: string,
  context: AuditContext = SYSTEM_CONTEXT,
): Promise<void> {
  if (!UUID.test(id)) throw new NotFoundError('Request', id);
  await prisma().$transaction(async (tx) => {
    const current = await tx.delivery.findFirst({
      where: { id, hubId, webhookId },
      select: { id: true, status: true, deliveryKey: true },
    });
    if (!current) throw new NotFoundError('Request', id);
    // Latest mode: an older version is never sent after a newer one (see latest-versions.ts).
    await refuseOlderVersion(tx, hubId, current);
    const updated = await executeInPrisma(tx, REDELIVER, { id, hubId, webhookId });
    if (updated === 0) throw new DeliveryInProgressError(id);
    // The entry names the webhook by its label, as every other webhook entry does.
    const webhook = await tx.webhook.findFirst({ where: { id: webhookId, hubId }, select: { label: true } });
    await recordAudit(tx, {
      hubId,
      ...context,
      action: 'delivery.redelivered',
      target: { type: 'webhook', id: webhookId, ...(webhook ? { label: webhook.label } : {}) },
      changes: { delivery: { from: null, to: id } },
    });
  });
  // Committed: the queue learns of it, and the workers wake (see lib/outbox/arm.ts).
  await armWebhooks(database().pool, [{ webhookId, at: null }]);
}
