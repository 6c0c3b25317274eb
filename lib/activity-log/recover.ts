import { z } from 'zod';
import { recordAudit } from '../audit/record-audit';
import { type AuditContext, SYSTEM_CONTEXT } from '../audit/types';
import { database, prisma } from '../db/client';
import { executeInPrisma, param, type Sql, sql, statement, type ValuesOf } from '../db/sql';
import { DomainError, NotFoundError, parseInput } from '../errors';
import { armWebhooks } from '../outbox/arm';
import { holdHubEmits } from './latest-versions';
import { uuidFloor } from './partitions';

const ZInstant = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 date and time, e.g. 2026-11-23T09:00:00Z',
});

/** The window of a recovery: FAILED deliveries of events created in [since, until). */
export const ZRecoverWindow = z
  .object({
    since: ZInstant,
    until: ZInstant.optional(),
  })
  .transform((window) => ({ since: new Date(window.since), until: window.until ? new Date(window.until) : null }))
  .refine((window) => !window.until || window.until > window.since, {
    message: 'until must be after since',
    path: ['until'],
  });

export type TRecoverWindow = z.input<typeof ZRecoverWindow>;

export class WebhookOffError extends DomainError {
  override name = 'WebhookOffError';
  constructor() {
    super('The webhook is turned off: turn it on before recovering its failed deliveries, or they fail again at once');
  }
}

/** The webhook, on and in this hub; its label names it in the audit entry. */
async function activeWebhook(hubId: string, webhookId: string): Promise<{ label: string; latest: boolean }> {
  const webhook = await prisma().webhook.findFirst({
    where: { id: webhookId, hubId },
    select: { active: true, label: true, deliveryMode: true },
  });
  if (!webhook) throw new NotFoundError('Webhook', webhookId);
  if (!webhook.active) throw new WebhookOffError();
  return { label: webhook.label, latest: webhook.deliveryMode === 'latest' };
}

/**
 * `d` (a delivery row) has a newer version: a delivery of the same webhook and key whose event came
 * later in the hub. Reads the keyed index of the webhook, then each candidate's event by id.
 */
const HAS_NEWER_VERSION = sql`EXISTS (
  SELECT 1 FROM deliveries n
   WHERE n.webhook_id = d.webhook_id AND n.delivery_key = d.delivery_key AND n.id <> d.id
     AND (SELECT e.sequence_id FROM events e WHERE e.id = n.event_id)
       > (SELECT e.sequence_id FROM events e WHERE e.id = d.event_id))`;

const recoverableParams = () => ({
  webhookId: param<string>(),
  hubId: param<string>(),
  from: param<string>('uuid'),
  to: param<string | null>('uuid'),
  since: param<Date>('timestamptz'),
  until: param<Date | null>('timestamptz'),
});

type RecoverableParams = ReturnType<typeof recoverableParams>;

/**
 * The FAILED deliveries of a webhook in a window (`d`), less, for latest mode, any with a newer
 * version of its key (superseded ones are not FAILED): an older version is never sent after a
 * newer one, so of a key's failed versions only the newest is recovered, and only if none came after.
 */
function recoverable(p: RecoverableParams): Sql {
  return sql`d.webhook_id = ${p.webhookId} AND d.hub_id = ${p.hubId} AND d.status = 'FAILED'
  AND d.id >= ${p.from} AND (${p.to} IS NULL OR d.id < ${p.to})
  AND d.created_date >= ${p.since} AND (${p.until} IS NULL OR d.created_date < ${p.until})
  AND (d.delivery_key IS NULL OR NOT ${HAS_NEWER_VERSION})`;
}

// Both walk only the window's days: the planner prunes partitions by the id range it is given.
const COUNT_RECOVERABLE = statement<RecoverableParams, { count: number }>(
  'activity-count-recoverable',
  recoverableParams(),
  (p) => sql`SELECT count(*)::int AS count FROM deliveries d WHERE ${recoverable(p)}`,
  { planEachRun: true },
);

const RECOVER = statement(
  'activity-recover',
  recoverableParams(),
  (p) => sql`UPDATE deliveries d
          SET status = 'QUEUED', chain = chain + 1, attempt_count = 0, next_attempt_at = now(),
              lease_until = NULL, lease_owner = NULL, last_error = NULL, last_modified_date = now(),
              pending_since = CASE WHEN d.delivery_key IS NOT NULL THEN now() END
        WHERE ${recoverable(p)}`,
  { planEachRun: true },
);

function recoverableValues(
  hubId: string,
  webhookId: string,
  window: z.output<typeof ZRecoverWindow>,
  from: string,
  to: string | null,
): ValuesOf<RecoverableParams> {
  return { webhookId, hubId, from, to, since: window.since, until: window.until };
}

/**
 * A delivery's id starts with its event's time (uuid7, see lib/outbox/delivery-id.ts), so the window is also
 * an id range: the (webhook_id, id) index and the day partitions are walked only for those days.
 * The range is a minute wider than the window (an event's id and its delivery's created_date are
 * taken moments apart); created_date decides exactly.
 */
const MARGIN_MS = 60_000;

function idRange(window: z.output<typeof ZRecoverWindow>) {
  return {
    from: uuidFloor(window.since.getTime() - MARGIN_MS),
    to: window.until ? uuidFloor(window.until.getTime() + MARGIN_MS) : null,
  };
}

/** How many FAILED deliveries a recovery of this window would send again (shown before confirming). */
export async function countRecoverable(hubId: string, webhookId: string, input: unknown): Promise<number> {
  const window = parseInput(ZRecoverWindow, input);
  const exists = await prisma().webhook.count({ where: { id: webhookId, hubId } });
  if (exists === 0) throw new NotFoundError('Webhook', webhookId);
  const { from, to } = idRange(window);
  const { rows } = await COUNT_RECOVERABLE.run(database().pool, recoverableValues(hubId, webhookId, window, from, to));
  return rows[0]?.count ?? 0;
}

/**
 * Recovery, after Svix's: every FAILED delivery of the webhook whose event arrived in the window
 * starts a new attempt chain at once, as Redeliver does for one (same delivery, so the same
 * `webhook-id`; the request already rendered is resent as it was). Idempotent: a recovered
 * delivery is QUEUED, no longer FAILED, so recovering again counts and sends it no second time.
 * Returns how many were queued.
 */
export async function recoverFailed(
  hubId: string,
  webhookId: string,
  input: unknown,
  context: AuditContext = SYSTEM_CONTEXT,
): Promise<number> {
  const window = parseInput(ZRecoverWindow, input);
  const webhook = await activeWebhook(hubId, webhookId);
  const { from, to } = idRange(window);
  const recovered = await prisma().$transaction(async (tx) => {
    // Latest mode: no newer version may be committed until the recovered ones are queued.
    if (webhook.latest) await holdHubEmits(tx, hubId);
    const count = await executeInPrisma(tx, RECOVER, recoverableValues(hubId, webhookId, window, from, to));
    await recordAudit(tx, {
      hubId,
      ...context,
      action: 'delivery.recovered',
      target: { type: 'webhook', id: webhookId, label: webhook.label },
      changes: {
        since: { from: null, to: window.since },
        until: { from: null, to: window.until ?? null },
        count: { from: null, to: count },
      },
    });
    return count;
  });
  // Committed: the queue learns of them, and the workers wake (see lib/outbox/arm.ts).
  if (recovered > 0) await armWebhooks(database().pool, [{ webhookId, at: null }]);
  return recovered;
}
