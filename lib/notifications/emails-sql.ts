import type pg from 'pg';

/**
 * The notification emails as records, in raw SQL (Prisma cannot say `ON CONFLICT … WHERE`). An
 * email is a row: its id is the Message-ID, its status says how it ended, and its FAILURES
 * notices point to it. Sending it is a job's work (lib/notifications/email-jobs.ts): the lease,
 * tries and backoff are the job's, not the email's.
 */

export type NotificationEmailKind = 'FAILURES' | 'CONFIRMATION';

export interface PendingEmail {
  id: string;
  kind: NotificationEmailKind;
  recipient: string;
  createdDate: Date;
}

/** A notice not mailed within this long after the interval is dropped (the address was never confirmed). */
const STALE_AFTER_MS = 24 * 3_600_000;

/** A webhook's address as addresses are compared (lower-cased, see addresses.ts). */
const RECIPIENT = `lower(w.notifications->0->>'email')`;

const MAILABLE = (address: string) => `
  (EXISTS (SELECT 1 FROM notification_addresses a WHERE a.email = ${address} AND a.confirmed_at IS NOT NULL)
   OR EXISTS (SELECT 1 FROM users u WHERE u.email = ${address}))`;

/**
 * Notices nobody will mail: their webhook has no address any more, or they went stale (the
 * address was never confirmed: its failures are in the activity log only).
 */
const DROP_UNMAILABLE_SQL = `
DELETE FROM failure_notices n
 USING webhooks w
 WHERE n.email_id IS NULL AND w.id = n.webhook_id
   AND (w.notifications->0->>'email' IS NULL OR n.created_date < now() - $1 * interval '1 millisecond')`;

/**
 * Each mailable address with notices not yet in an email, and when its next email may go: now,
 * or once the interval since its last one has passed.
 */
const WAITING_SQL = `
SELECT r.recipient,
       GREATEST(now(), (SELECT max(m.finished_at) FROM notification_emails m
                         WHERE m.kind = 'FAILURES' AND m.recipient = r.recipient) + $1 * interval '1 millisecond') AS due_at
  FROM (SELECT DISTINCT ${RECIPIENT} AS recipient
          FROM failure_notices n JOIN webhooks w ON w.id = n.webhook_id
         WHERE n.email_id IS NULL AND w.notifications->0->>'email' IS NOT NULL) r
 WHERE ${MAILABLE('r.recipient')}
 LIMIT $2`;

/**
 * Drops the notices nobody will mail and answers the addresses that have notices waiting, with
 * when each one's next email may go.
 */
export async function waitingRecipients(
  pool: pg.Pool,
  intervalMs: number,
  limit = 1000,
): Promise<{ recipient: string; dueAt: Date }[]> {
  await pool.query(DROP_UNMAILABLE_SQL, [intervalMs + STALE_AFTER_MS]);
  const { rows } = await pool.query<{ recipient: string; due_at: Date }>(WAITING_SQL, [intervalMs, limit]);
  return rows.map((row) => ({ recipient: row.recipient, dueAt: row.due_at }));
}

const PENDING_SQL = `
SELECT id, kind, recipient, created_date FROM notification_emails
 WHERE kind = $1 AND recipient = $2 AND status = 'PENDING'`;

const LAST_FINISHED_SQL = `
SELECT max(finished_at) AS at FROM notification_emails WHERE kind = 'FAILURES' AND recipient = $1`;

/** A new email to the address holding every notice waiting for it (of every webhook naming it). */
const GATHER_SQL = `
WITH email AS (
  INSERT INTO notification_emails (id, kind, recipient)
  SELECT gen_random_uuid(), 'FAILURES', $1::text
   WHERE EXISTS (SELECT 1 FROM failure_notices n JOIN webhooks w ON w.id = n.webhook_id
                  WHERE n.email_id IS NULL AND ${RECIPIENT} = $1::text)
  ON CONFLICT (kind, recipient) WHERE status = 'PENDING' DO NOTHING
  RETURNING id, kind, recipient, created_date
), gathered AS (
  UPDATE failure_notices n SET email_id = email.id
    FROM email, webhooks w
   WHERE n.email_id IS NULL AND w.id = n.webhook_id AND ${RECIPIENT} = $1::text
)
SELECT * FROM email`;

type EmailRow = { id: string; kind: NotificationEmailKind; recipient: string; created_date: Date };
const toEmail = (row: EmailRow): PendingEmail => ({
  id: row.id,
  kind: row.kind,
  recipient: row.recipient,
  createdDate: row.created_date,
});

/**
 * The failures email to send to an address now: the one already put together and not yet sent
 * (a try before failed or crashed: it goes again as it was, with the same id), or a new one
 * gathering what waits, once the interval since the last has passed. `notBefore` when that
 * interval has not passed; null when nothing waits.
 */
export async function failuresEmailFor(
  pool: pg.Pool,
  recipient: string,
  intervalMs: number,
): Promise<PendingEmail | { notBefore: Date } | null> {
  const pending = await pool.query<EmailRow>(PENDING_SQL, ['FAILURES', recipient]);
  if (pending.rows[0]) return toEmail(pending.rows[0]);
  const last = (await pool.query<{ at: Date | null }>(LAST_FINISHED_SQL, [recipient])).rows[0]?.at;
  if (last && last.getTime() + intervalMs > Date.now()) return { notBefore: new Date(last.getTime() + intervalMs) };
  const { rows } = await pool.query<EmailRow>(GATHER_SQL, [recipient]);
  return rows[0] ? toEmail(rows[0]) : null;
}

/** A confirmation email still to send (null once sent, given up or dropped). */
export async function pendingEmail(pool: pg.Pool, id: string): Promise<PendingEmail | null> {
  const { rows } = await pool.query<EmailRow>(
    `SELECT id, kind, recipient, created_date FROM notification_emails WHERE id = $1 AND status = 'PENDING'`,
    [id],
  );
  return rows[0] ? toEmail(rows[0]) : null;
}

export async function markSent(pool: pg.Pool, id: string): Promise<void> {
  await pool.query(
    `UPDATE notification_emails SET status = 'SENT', sent_at = now(), finished_at = now(), last_error = NULL
      WHERE id = $1 AND status = 'PENDING'`,
    [id],
  );
}

/** Given up: it ends FAILED (its notices stay linked, for the record); the next may follow after the interval. */
export async function markFailed(pool: pg.Pool, id: string, error: string): Promise<void> {
  await pool.query(
    `UPDATE notification_emails SET status = 'FAILED', finished_at = now(), last_error = $2
      WHERE id = $1 AND status = 'PENDING'`,
    [id, error.slice(0, 2000)],
  );
}

/**
 * An email with nothing left to say: its notices were deleted with their webhook's address, or
 * the address it would confirm is confirmed already.
 */
export async function dropEmail(pool: pg.Pool, id: string): Promise<void> {
  await pool.query(`DELETE FROM notification_emails WHERE id = $1 AND status = 'PENDING'`, [id]);
}

/** Emails (and their notices) finished longer ago than the activity log is kept. */
export async function pruneEmails(pool: pg.Pool, retentionMs: number): Promise<number> {
  const { rowCount } = await pool.query(
    `DELETE FROM notification_emails WHERE status <> 'PENDING' AND finished_at < now() - $1 * interval '1 millisecond'`,
    [retentionMs],
  );
  return rowCount ?? 0;
}

export async function pendingFailuresEmailId(pool: pg.Pool, recipient: string): Promise<string | null> {
  const { rows } = await pool.query<EmailRow>(PENDING_SQL, ['FAILURES', recipient]);
  return rows[0]?.id ?? null;
}
