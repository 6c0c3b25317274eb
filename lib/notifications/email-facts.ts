import type pg from 'pg';
import type { EmailFacts, FailedDeliveryNotice } from './email-content';
import { LISTED_FAILURES } from './email-content';
import type { ClaimedEmail } from './email-queue';

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

/** What a claimed email says, from its notices; null when it has nothing to say. */
export async function loadEmailFacts(
  pool: pg.Pool,
  email: ClaimedEmail,
  settings: { publicUrl: string; intervalMs: number },
): Promise<EmailFacts | null> {
  const { rows: webhooks } = await pool.query<{ label: string; hub_id: string }>(
    'SELECT label, hub_id FROM webhooks WHERE id = $1',
    [email.webhookId],
  );
  const webhook = webhooks[0];
  if (!webhook) return null;
  const { rows: summaries } = await pool.query<{
    failed: number;
    disabled_at: Date | null;
    disabled_reason: string | null;
  }>(
    `SELECT count(*) FILTER (WHERE kind = 'DELIVERY_FAILED')::int AS failed,
            max(created_date) FILTER (WHERE kind = 'WEBHOOK_DISABLED') AS disabled_at,
            (array_agg(error ORDER BY created_date DESC) FILTER (WHERE kind = 'WEBHOOK_DISABLED'))[1] AS disabled_reason
       FROM failure_notices WHERE email_id = $1`,
    [email.id],
  );
  const summary = summaries[0];
  if (!summary || (summary.failed === 0 && summary.disabled_at === null)) return null;
  const { rows: failures } = await pool.query<NoticeRow>(
    `SELECT delivery_id, event_name, status_code, error, created_date AS at
       FROM failure_notices WHERE email_id = $1 AND kind = 'DELIVERY_FAILED'
      ORDER BY created_date, id LIMIT $2`,
    [email.id, LISTED_FAILURES],
  );
  let lastFailure: FailedDeliveryNotice | null = null;
  if (summary.disabled_at !== null && failures.length === 0) {
    // Turned off by failures noticed in an earlier email (or before an address was set): name the latest.
    const { rows } = await pool.query<NoticeRow>(
      `SELECT d.id AS delivery_id, e.name AS event_name, d.last_status_code AS status_code, d.last_error AS error,
              d.last_modified_date AS at
         FROM deliveries d JOIN events e ON e.id = d.event_id
        WHERE d.webhook_id = $1 AND d.status = 'FAILED'
        ORDER BY d.id DESC LIMIT 1`,
      [email.webhookId],
    );
    lastFailure = rows[0] ? toNotice(rows[0]) : null;
  }
  return {
    webhook: { id: email.webhookId, hubId: webhook.hub_id, label: webhook.label },
    failures: failures.map(toNotice),
    failedCount: summary.failed,
    disabled: summary.disabled_at !== null ? { reason: summary.disabled_reason, at: summary.disabled_at } : null,
    lastFailure,
    publicUrl: settings.publicUrl,
    intervalMs: settings.intervalMs,
    recipient: email.recipient,
  };
}
