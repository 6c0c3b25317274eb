import pg from 'pg';
import type { AttemptResult } from '../outbox/types';
import { mailConfigured } from './settings';

/**
 * Where failure notices are born. Each is written in the same transaction or statement as the
 * outcome that causes it, so a crash can neither lose one (the outcome is not written either,
 * its lease expires, and the retry writes both) nor write one twice (a notice is unique per
 * delivery and attempt chain, so an outcome batch written again after a lost reply adds nothing).
 */

export type Queryable = pg.Pool | pg.PoolClient;
type Log = (level: 'warn' | 'error', message: string) => void;

/**
 * A notice for each delivery of the batch that is now FAILED in the attempt this batch recorded,
 * when its webhook has a notification address. Deliveries that were not sent because the webhook
 * is off are left out: turning it off was noticed already, or was someone's choice. The event,
 * status and error are copied from the row just written, so the notice outlives the activity log.
 */
const FAILED_NOTICES_SQL = `
INSERT INTO failure_notices (webhook_id, kind, delivery_id, chain, event_name, status_code, error)
SELECT d.webhook_id, 'DELIVERY_FAILED', d.id, d.chain, e.name, d.last_status_code, d.last_error
  FROM unnest($1::uuid[], $2::int[], $3::int[], $4::boolean[]) AS r(id, chain, attempt_count, sent)
  JOIN deliveries d ON d.id = r.id AND d.chain = r.chain AND d.attempt_count = r.attempt_count AND d.status = 'FAILED'
  JOIN webhooks w ON w.id = d.webhook_id
  JOIN events e ON e.id = d.event_id
 WHERE w.notifications->0->>'email' IS NOT NULL AND (r.sent OR w.active)
ON CONFLICT (delivery_id, chain) DO NOTHING`;

/**
 * Writes an outcome batch with `complete` and, in the same transaction, a notice for each delivery
 * it failed for good. A batch without a FAILED outcome, or a worker without HERALD_SMTP_URL (it
 * would never mail them), costs nothing extra. Should the notices
 * themselves be refused (a bug, not an outage), the outcomes are committed without them: a
 * notification is never worth holding deliveries up.
 */
export async function completeWithNotifications(
  pool: pg.Pool,
  batch: readonly AttemptResult[],
  complete: (db: Queryable) => Promise<void>,
  log: Log,
): Promise<void> {
  const failed = batch.filter((result) => result.outcome === 'FAILED');
  if (failed.length === 0 || !mailConfigured()) {
    await complete(pool);
    return;
  }
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    await complete(client);
    await client.query('SAVEPOINT failure_notices');
    try {
      await client.query(FAILED_NOTICES_SQL, [
        failed.map((result) => result.deliveryId),
        failed.map((result) => result.chain),
        failed.map((result) => result.attemptCount),
        failed.map((result) => result.sent),
      ]);
    } catch (error) {
      // Only the statement was refused; a lost connection fails the rollback too and the writer retries.
      if (!(error instanceof pg.DatabaseError)) throw error;
      await client.query('ROLLBACK TO SAVEPOINT failure_notices');
      log('error', `recording failure notifications failed (${error.message}); the outcomes are written without them`);
    }
    await client.query('COMMIT');
  } catch (error) {
    broken = !(error instanceof pg.DatabaseError);
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Wraps a statement that turns webhooks off (an `UPDATE webhooks … SET active = false …` without
 * RETURNING) so it answers the webhooks it turned off (id, hub_id, label, disabled_reason) and, in
 * the same statement, records a notice for each that has a notification address. Nothing is
 * noticed for a webhook that was off already: the UPDATE's own condition (`AND active`) keeps it
 * out. Without HERALD_SMTP_URL no notice is recorded.
 */
export function recordingDisableNotice(update: string): string {
  const returning = `${update} RETURNING id, hub_id, label, notifications, disabled_reason`;
  if (!mailConfigured()) return returning;
  return `WITH disabled AS (${returning}), notices AS (
INSERT INTO failure_notices (webhook_id, kind, error)
SELECT id, 'WEBHOOK_DISABLED', disabled_reason FROM disabled WHERE notifications->0->>'email' IS NOT NULL)
SELECT * FROM disabled`;
}
