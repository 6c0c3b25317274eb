import type pg from 'pg';

/**
 * The notification email outbox, in raw SQL because Prisma cannot say `FOR UPDATE SKIP LOCKED`
 * or `ON CONFLICT … WHERE`. Notices are gathered into an email per address, a digest of every
 * webhook naming it (at most one waiting per address, and none until the interval since the last
 * one to that address has passed), and only for an address Herald may mail: confirmed, or a
 * user's. Confirmation emails (queued by lib/notifications/addresses.ts) ride the same queue.
 * Emails are claimed with a lease, sent, and marked. A sender that dies between sending and
 * marking leaves the lease to expire and the email to be sent again with the same Message-ID:
 * delivery is at least once.
 */

/** A notice not mailed within this long after the interval is dropped (no sender was running). */
const STALE_AFTER_MS = 24 * 3_600_000;

/**
 * Notices nobody will mail: their webhook has no address any more, or they went stale (no sender
 * was running, or the address was never confirmed: its failures are in the activity log only).
 */
const DROP_UNMAILABLE_SQL = `
DELETE FROM failure_notices n
 USING webhooks w
 WHERE n.email_id IS NULL AND w.id = n.webhook_id
   AND (w.notifications->0->>'email' IS NULL OR n.created_date < now() - $1 * interval '1 millisecond')`;

/** A webhook's address as addresses are compared (lower-cased, see addresses.ts). */
const RECIPIENT = `lower(w.notifications->0->>'email')`;

const GATHER_SQL = `
WITH due AS (
  SELECT DISTINCT ${RECIPIENT} AS recipient
    FROM webhooks w
   WHERE w.id IN (SELECT webhook_id FROM failure_notices WHERE email_id IS NULL)
     AND w.notifications->0->>'email' IS NOT NULL
), mailable AS (
  SELECT d.recipient FROM due d
   WHERE (EXISTS (SELECT 1 FROM notification_addresses a WHERE a.email = d.recipient AND a.confirmed_at IS NOT NULL)
          OR EXISTS (SELECT 1 FROM users u WHERE u.email = d.recipient))
     AND NOT EXISTS (SELECT 1 FROM notification_emails m
                      WHERE m.kind = 'FAILURES' AND m.recipient = d.recipient
                        AND (m.status = 'PENDING' OR m.finished_at > now() - $1 * interval '1 millisecond'))
   LIMIT $2
), emails AS (
  INSERT INTO notification_emails (id, kind, recipient)
  SELECT gen_random_uuid(), 'FAILURES', left(recipient, 320) FROM mailable
  -- Another sender gathering for the same address at the same moment: its email takes the notices.
  ON CONFLICT (kind, recipient) WHERE status = 'PENDING' DO NOTHING
  RETURNING id, recipient
)
UPDATE failure_notices n SET email_id = emails.id
  FROM emails, webhooks w
 WHERE n.email_id IS NULL AND w.id = n.webhook_id AND ${RECIPIENT} = emails.recipient
RETURNING n.email_id`;

/**
 * Puts the notices waiting for each mailable address (of every webhook naming it) into one email,
 * for addresses whose interval since the last email has passed and that have none waiting.
 * Returns how many emails it made.
 */
export async function gatherEmails(pool: pg.Pool, intervalMs: number, limit = 100): Promise<number> {
  await pool.query(DROP_UNMAILABLE_SQL, [intervalMs + STALE_AFTER_MS]);
  const { rows } = await pool.query<{ email_id: string }>(GATHER_SQL, [intervalMs, limit]);
  return new Set(rows.map((row) => row.email_id)).size;
}

export type NotificationEmailKind = 'FAILURES' | 'CONFIRMATION';

export interface ClaimedEmail {
  id: string;
  kind: NotificationEmailKind;
  recipient: string;
  attempts: number;
  createdDate: Date;
}

const CLAIM_SQL = `
UPDATE notification_emails m
   SET lease_until = now() + $2 * interval '1 millisecond', lease_owner = $3, attempts = m.attempts + 1
  FROM (SELECT id FROM notification_emails
         WHERE status = 'PENDING' AND next_attempt_at <= now()
           AND (lease_until IS NULL OR lease_until < now())
         ORDER BY next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED) due
 WHERE m.id = due.id
RETURNING m.id, m.kind, m.recipient, m.attempts, m.created_date`;

export async function claimEmails(
  pool: pg.Pool,
  limit: number,
  leaseMs: number,
  owner: string,
): Promise<ClaimedEmail[]> {
  const { rows } = await pool.query<{
    id: string;
    kind: NotificationEmailKind;
    recipient: string;
    attempts: number;
    created_date: Date;
  }>(CLAIM_SQL, [limit, leaseMs, owner]);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    recipient: row.recipient,
    attempts: row.attempts,
    createdDate: row.created_date,
  }));
}

/** Guarded by the lease, so a sender whose lease ran out cannot mark what another now holds. */
const LEASE_GUARD = 'id = $1 AND lease_owner = $2 AND attempts = $3';

export async function markSent(pool: pg.Pool, email: ClaimedEmail, owner: string): Promise<void> {
  await pool.query(
    `UPDATE notification_emails
        SET status = 'SENT', sent_at = now(), finished_at = now(), lease_until = NULL, lease_owner = NULL, last_error = NULL
      WHERE ${LEASE_GUARD}`,
    [email.id, owner, email.attempts],
  );
}

/**
 * An email with nothing left to say: its notices were deleted with their webhook's address, or
 * the address it would confirm is confirmed already.
 */
export async function dropEmail(pool: pg.Pool, email: ClaimedEmail, owner: string): Promise<void> {
  await pool.query(`DELETE FROM notification_emails WHERE ${LEASE_GUARD}`, [email.id, owner, email.attempts]);
}

/**
 * A failed send is tried again after `retryInMs`; with `giveUp` it ends FAILED (the notices stay,
 * linked to it, for the record) and the address's next email may follow after the interval.
 */
export async function markFailed(
  pool: pg.Pool,
  email: ClaimedEmail,
  owner: string,
  error: string,
  retry: { giveUp: boolean; retryInMs: number },
): Promise<void> {
  await pool.query(
    `UPDATE notification_emails
        SET lease_until = NULL, lease_owner = NULL, last_error = $4,
            status = CASE WHEN $5 THEN 'FAILED'::notification_email_status ELSE status END,
            finished_at = CASE WHEN $5 THEN now() END,
            next_attempt_at = now() + $6 * interval '1 millisecond'
      WHERE ${LEASE_GUARD}`,
    [email.id, owner, email.attempts, error.slice(0, 2000), retry.giveUp, retry.retryInMs],
  );
}

/** Lets go of emails claimed but not sent (a graceful stop), so another sender need not wait for the lease. */
export async function releaseEmails(pool: pg.Pool, ids: readonly string[], owner: string): Promise<void> {
  if (ids.length === 0) return;
  await pool.query(
    `UPDATE notification_emails SET lease_until = NULL, lease_owner = NULL, attempts = attempts - 1
      WHERE id = ANY($1::uuid[]) AND lease_owner = $2 AND status = 'PENDING'`,
    [ids, owner],
  );
}

/** Emails (and their notices) finished longer ago than the activity log is kept. */
export async function pruneEmails(pool: pg.Pool, retentionMs: number): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM notification_emails WHERE status <> 'PENDING' AND finished_at < now() - $1 * interval '1 millisecond'`,
    [retentionMs],
  );
  return rowCount ?? 0;
}
