import type pg from 'pg';
import { type Param, param, sql, statement } from '../db/sql';
import type { EmailFacts, FailedDeliveryNotice, WebhookFailures } from './email-content';
import { LISTED_FAILURES, LISTED_FAILURES_PER_WEBHOOK_IN_DIGEST, LISTED_WEBHOOKS } from './email-content';
import type { PendingEmail } from './emails-sql';

interface NoticeRow {
  delivery_id: string;
  event_name: string | null;
  status_code: number | null;
  error: string | null;
  at: Date;
}

const toNotice = (row: NoticeRow): FailedDeliveryNotice => ({
  deliveryId: row.delivery_id,
  eventName: row.event_name,
  statusCode: row.status_code,
  error: row.error,
  at: row.at,
});

interface SummaryRow {
  webhook_id: string;
  label: string;
  hub_id: string;
  failed: number;
  disabled_at: Date | null;
  disabled_reason: string | null;
}

/** Per webhook in the email: its label and counts, in the order of its first notice. */
const SUMMARY = statement<{ emailId: Param<string> }, SummaryRow>(
  'emails-facts-summary',
  { emailId: param() },
  (p) => sql`
SELECT n.webhook_id, w.label, w.hub_id,
       count(*) FILTER (WHERE n.kind = 'DELIVERY_FAILED')::int AS failed,
       max(n.created_date) FILTER (WHERE n.kind = 'WEBHOOK_DISABLED') AS disabled_at,
       (array_agg(n.error ORDER BY n.created_date DESC) FILTER (WHERE n.kind = 'WEBHOOK_DISABLED'))[1] AS disabled_reason
  FROM failure_notices n JOIN webhooks w ON w.id = n.webhook_id
 WHERE n.email_id = ${p.emailId}
 GROUP BY n.webhook_id, w.label, w.hub_id
 ORDER BY min(n.created_date), n.webhook_id`,
);

/** The first failures of each webhook in the email, at most `perWebhook` each. */
const LISTED = statement<{ emailId: Param<string>; perWebhook: Param<number> }, NoticeRow & { webhook_id: string }>(
  'emails-facts-listed',
  { emailId: param(), perWebhook: param() },
  (p) => sql`
SELECT webhook_id, delivery_id, event_name, status_code, error, at FROM (
  SELECT webhook_id, delivery_id, event_name, status_code, error, created_date AS at,
         row_number() OVER (PARTITION BY webhook_id ORDER BY created_date, id) AS position
    FROM failure_notices WHERE email_id = ${p.emailId} AND kind = 'DELIVERY_FAILED') listed
 WHERE position <= ${p.perWebhook}
 ORDER BY at, delivery_id`,
);

/** Turned off by failures noticed in an earlier email (or before an address was set): the latest. */
const LAST_FAILURE = statement<{ webhookId: Param<string> }, NoticeRow>(
  'emails-facts-last-failure',
  { webhookId: param() },
  (p) => sql`
SELECT d.id AS delivery_id, e.name AS event_name, d.last_status_code AS status_code, d.last_error AS error,
       d.last_modified_date AS at
  FROM deliveries d JOIN events e ON e.id = d.event_id
 WHERE d.webhook_id = ${p.webhookId} AND d.status = 'FAILED'
 ORDER BY d.id DESC LIMIT 1`,
);

/** What a claimed failures email says, from its notices; null when it has nothing to say. */
export async function loadEmailFacts(
  pool: pg.Pool,
  email: PendingEmail,
  settings: { publicUrl: string; intervalMs: number },
): Promise<EmailFacts | null> {
  const { rows: summaries } = await SUMMARY.run(pool, { emailId: email.id });
  const sections = summaries.filter((summary) => summary.failed > 0 || summary.disabled_at !== null);
  if (sections.length === 0) return null;
  const perWebhook = sections.length === 1 ? LISTED_FAILURES : LISTED_FAILURES_PER_WEBHOOK_IN_DIGEST;
  const { rows: listed } = await LISTED.run(pool, { emailId: email.id, perWebhook });
  const webhooks: WebhookFailures[] = [];
  for (const [index, summary] of sections.entries()) {
    const failures = listed.filter((row) => row.webhook_id === summary.webhook_id).map(toNotice);
    let lastFailure: FailedDeliveryNotice | null = null;
    if (summary.disabled_at !== null && failures.length === 0 && index < LISTED_WEBHOOKS) {
      const { rows } = await LAST_FAILURE.run(pool, { webhookId: summary.webhook_id });
      lastFailure = rows[0] ? toNotice(rows[0]) : null;
    }
    webhooks.push({
      webhook: { id: summary.webhook_id, hubId: summary.hub_id, label: summary.label },
      failures,
      failedCount: summary.failed,
      disabled: summary.disabled_at !== null ? { reason: summary.disabled_reason, at: summary.disabled_at } : null,
      lastFailure,
    });
  }
  return { webhooks, publicUrl: settings.publicUrl, intervalMs: settings.intervalMs, recipient: email.recipient };
}
