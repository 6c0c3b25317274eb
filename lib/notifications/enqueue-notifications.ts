import { type Param, param, sql, statement } from '../db/sql';
import type { Tx } from '../db/transaction';
import { addJobs } from '../jobs/jobs-sql';
import type { AttemptResult } from '../outbox/types';
import { failuresEmailJob } from './email-job-types';
import { mailConfigured } from './settings';

/**
 * Where failure notices are born: in the outcome writer's transaction, after the outcomes that
 * cause them, so a crash can neither lose one (the outcome is not written either, its lease
 * expires, and the retry writes both) nor write one twice (a notice is unique per delivery and
 * attempt chain, so an outcome batch written again after a lost reply adds nothing).
 */

type FailedOutcome = Pick<AttemptResult, 'deliveryId' | 'chain' | 'attemptCount' | 'sent' | 'outcome'>;

/** What one outcome batch gives its owners to be told. */
export interface NoticeCauses {
  outcomes: readonly FailedOutcome[];
  /** Webhooks the batch turned off (lib/webhooks/webhook-health.ts). */
  disabledWebhookIds: readonly string[];
}

/** The (lower-cased) addresses of the webhooks just noticed. */
const RECIPIENTS = sql`SELECT DISTINCT lower(w.notifications->0->>'email') AS recipient
  FROM noticed JOIN webhooks w ON w.id = noticed.webhook_id`;

/**
 * A notice for each delivery of the batch that is now FAILED in the attempt this batch recorded,
 * when its webhook has a notification address. Deliveries that were not sent because the webhook
 * is off are left out: turning it off was noticed already, or was someone's choice. The event,
 * status and error are copied from the row just written, so the notice outlives the activity log.
 */
const FAILED_NOTICES = statement<
  {
    ids: Param<readonly string[]>;
    chains: Param<readonly number[]>;
    attemptCounts: Param<readonly number[]>;
    sent: Param<readonly boolean[]>;
  },
  { recipient: string }
>(
  'notices-failed',
  { ids: param('uuid[]'), chains: param('int[]'), attemptCounts: param('int[]'), sent: param('boolean[]') },
  (p) => sql`
WITH noticed AS (
INSERT INTO failure_notices (webhook_id, kind, delivery_id, chain, event_name, status_code, error)
SELECT d.webhook_id, 'DELIVERY_FAILED', d.id, d.chain, e.name, d.last_status_code, d.last_error
  FROM unnest(${p.ids}, ${p.chains}, ${p.attemptCounts}, ${p.sent}) AS r(id, chain, attempt_count, sent)
  JOIN deliveries d ON d.id = r.id AND d.chain = r.chain AND d.attempt_count = r.attempt_count AND d.status = 'FAILED'
  JOIN webhooks w ON w.id = d.webhook_id
  JOIN events e ON e.id = d.event_id
 WHERE w.notifications->0->>'email' IS NOT NULL AND (r.sent OR w.active)
ON CONFLICT (delivery_id, chain) DO NOTHING
RETURNING webhook_id)
${RECIPIENTS}`,
);

/** A notice for each webhook just turned off that has a notification address. */
const DISABLED_NOTICES = statement<{ ids: Param<readonly string[]> }, { recipient: string }>(
  'notices-disabled',
  { ids: param('text[]') },
  (p) => sql`
WITH noticed AS (
INSERT INTO failure_notices (webhook_id, kind, error)
SELECT id, 'WEBHOOK_DISABLED', disabled_reason FROM webhooks
 WHERE id = ANY(${p.ids}) AND notifications->0->>'email' IS NOT NULL
RETURNING webhook_id)
${RECIPIENTS}`,
);

/** Whether recording notices for these causes could write anything (else it costs nothing). */
export function hasNoticeCauses(causes: NoticeCauses): boolean {
  if (!mailConfigured()) return false;
  return causes.disabledWebhookIds.length > 0 || causes.outcomes.some((result) => result.outcome === 'FAILED');
}

/**
 * Records, in the caller's transaction, the notices an outcome batch causes, with the email job
 * of each address they are for (one per address: a job waiting already takes them too), and
 * answers those (lower-cased) addresses. A worker without HERALD_SMTP_URL records none: it would
 * never mail them.
 */
export async function recordFailureNotices(tx: Tx, causes: NoticeCauses): Promise<string[]> {
  if (!hasNoticeCauses(causes)) return [];
  const recipients = new Set<string>();
  const failed = causes.outcomes.filter((result) => result.outcome === 'FAILED');
  if (failed.length > 0) {
    const { rows } = await FAILED_NOTICES.run(tx, {
      ids: failed.map((result) => result.deliveryId),
      chains: failed.map((result) => result.chain),
      attemptCounts: failed.map((result) => result.attemptCount),
      sent: failed.map((result) => result.sent),
    });
    for (const row of rows) recipients.add(row.recipient);
  }
  if (causes.disabledWebhookIds.length > 0) {
    const { rows } = await DISABLED_NOTICES.run(tx, { ids: causes.disabledWebhookIds });
    for (const row of rows) recipients.add(row.recipient);
  }
  await addJobs(
    tx,
    [...recipients].map((recipient) => failuresEmailJob(recipient)),
  );
  return [...recipients];
}
