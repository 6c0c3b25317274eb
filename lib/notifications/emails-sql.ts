import type pg from 'pg';
import { type Param, param, sql, statement } from '../db/sql';
import { mailable } from './addresses';

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
const RECIPIENT = sql`lower(w.notifications->0->>'email')`;

/**
 * Notices nobody will mail: their webhook has no address any more, or they went stale (the
 * address was never confirmed: its failures are in the activity log only).
 */
const DROP_UNMAILABLE = statement(
  'notices-drop-unmailable',
  { olderThanMs: param<number>() },
  (p) => sql`
DELETE FROM failure_notices n
 USING webhooks w
 WHERE n.email_id IS NULL AND w.id = n.webhook_id
   AND (w.notifications->0->>'email' IS NULL OR n.created_date < now() - ${p.olderThanMs} * interval '1 millisecond')`,
);

/**
 * Each mailable address with notices not yet in an email, and when its next email may go: now,
 * or once the interval since its last one has passed.
 */
const WAITING = statement<{ intervalMs: Param<number>; limit: Param<number> }, { recipient: string; due_at: Date }>(
  'emails-waiting-recipients',
  { intervalMs: param(), limit: param() },
  (p) => sql`
SELECT r.recipient,
       GREATEST(now(), (SELECT max(m.finished_at) FROM notification_emails m
                         WHERE m.kind = 'FAILURES' AND m.recipient = r.recipient) + ${p.intervalMs} * interval '1 millisecond') AS due_at
  FROM (SELECT DISTINCT ${RECIPIENT} AS recipient
          FROM failure_notices n JOIN webhooks w ON w.id = n.webhook_id
         WHERE n.email_id IS NULL AND w.notifications->0->>'email' IS NOT NULL) r
 WHERE ${mailable(sql`r.recipient`)}
 LIMIT ${p.limit}`,
);

/**
 * Drops the notices nobody will mail and answers the addresses that have notices waiting, with
 * when each one's next email may go.
 */
export async function waitingRecipients(
  pool: pg.Pool,
  intervalMs: number,
  limit = 1000,
): Promise<{ recipient: string; dueAt: Date }[]> {
  await DROP_UNMAILABLE.run(pool, { olderThanMs: intervalMs + STALE_AFTER_MS });
  const { rows } = await WAITING.run(pool, { intervalMs, limit });
  return rows.map((row) => ({ recipient: row.recipient, dueAt: row.due_at }));
}

type EmailRow = { id: string; kind: NotificationEmailKind; recipient: string; created_date: Date };
const toEmail = (row: EmailRow): PendingEmail => ({
  id: row.id,
  kind: row.kind,
  recipient: row.recipient,
  createdDate: row.created_date,
});

const PENDING = statement<{ kind: Param<NotificationEmailKind>; recipient: Param<string> }, EmailRow>(
  'emails-pending',
  { kind: param(), recipient: param() },
  (p) => sql`
SELECT id, kind, recipient, created_date FROM notification_emails
 WHERE kind = ${p.kind} AND recipient = ${p.recipient} AND status = 'PENDING'`,
);

const LAST_FINISHED = statement<{ recipient: Param<string> }, { at: Date | null }>(
  'emails-last-finished',
  { recipient: param() },
  (p) => sql`
SELECT max(finished_at) AS at FROM notification_emails WHERE kind = 'FAILURES' AND recipient = ${p.recipient}`,
);

/** A new email to the address holding every notice waiting for it (of every webhook naming it). */
const GATHER = statement<{ recipient: Param<string> }, EmailRow>(
  'emails-gather',
  { recipient: param('text') },
  (p) => sql`
WITH email AS (
  INSERT INTO notification_emails (id, kind, recipient)
  SELECT gen_random_uuid(), 'FAILURES', ${p.recipient}
   WHERE EXISTS (SELECT 1 FROM failure_notices n JOIN webhooks w ON w.id = n.webhook_id
                  WHERE n.email_id IS NULL AND ${RECIPIENT} = ${p.recipient})
  ON CONFLICT (kind, recipient) WHERE status = 'PENDING' DO NOTHING
  RETURNING id, kind, recipient, created_date
), gathered AS (
  UPDATE failure_notices n SET email_id = email.id
    FROM email, webhooks w
   WHERE n.email_id IS NULL AND w.id = n.webhook_id AND ${RECIPIENT} = ${p.recipient}
)
SELECT * FROM email`,
);

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
  const pending = await PENDING.run(pool, { kind: 'FAILURES', recipient });
  if (pending.rows[0]) return toEmail(pending.rows[0]);
  const last = (await LAST_FINISHED.run(pool, { recipient })).rows[0]?.at;
  if (last && last.getTime() + intervalMs > Date.now()) return { notBefore: new Date(last.getTime() + intervalMs) };
  const { rows } = await GATHER.run(pool, { recipient });
  return rows[0] ? toEmail(rows[0]) : null;
}

const PENDING_BY_ID = statement<{ id: Param<string> }, EmailRow>(
  'emails-pending-by-id',
  { id: param() },
  (p) =>
    sql`SELECT id, kind, recipient, created_date FROM notification_emails WHERE id = ${p.id} AND status = 'PENDING'`,
);

/** A confirmation email still to send (null once sent, given up or dropped). */
export async function pendingEmail(pool: pg.Pool, id: string): Promise<PendingEmail | null> {
  const { rows } = await PENDING_BY_ID.run(pool, { id });
  return rows[0] ? toEmail(rows[0]) : null;
}

const MARK_SENT = statement(
  'emails-mark-sent',
  { id: param<string>() },
  (p) => sql`UPDATE notification_emails SET status = 'SENT', sent_at = now(), finished_at = now(), last_error = NULL
      WHERE id = ${p.id} AND status = 'PENDING'`,
);

export async function markSent(pool: pg.Pool, id: string): Promise<void> {
  await MARK_SENT.run(pool, { id });
}

const MARK_FAILED = statement(
  'emails-mark-failed',
  { id: param<string>(), error: param<string>() },
  (p) => sql`UPDATE notification_emails SET status = 'FAILED', finished_at = now(), last_error = ${p.error}
      WHERE id = ${p.id} AND status = 'PENDING'`,
);

/** Given up: it ends FAILED (its notices stay linked, for the record); the next may follow after the interval. */
export async function markFailed(pool: pg.Pool, id: string, error: string): Promise<void> {
  await MARK_FAILED.run(pool, { id, error: error.slice(0, 2000) });
}

const DROP = statement(
  'emails-drop',
  { id: param<string>() },
  (p) => sql`DELETE FROM notification_emails WHERE id = ${p.id} AND status = 'PENDING'`,
);

/**
 * An email with nothing left to say: its notices were deleted with their webhook's address, or
 * the address it would confirm is confirmed already.
 */
export async function dropEmail(pool: pg.Pool, id: string): Promise<void> {
  await DROP.run(pool, { id });
}

const PRUNE = statement(
  'emails-prune',
  { retentionMs: param<number>() },
  (p) =>
    sql`DELETE FROM notification_emails WHERE status <> 'PENDING' AND finished_at < now() - ${p.retentionMs} * interval '1 millisecond'`,
);

/** Emails (and their notices) finished longer ago than the activity log is kept. */
export async function pruneEmails(pool: pg.Pool, retentionMs: number): Promise<number> {
  const { rowCount } = await PRUNE.run(pool, { retentionMs });
  return rowCount ?? 0;
}

export async function pendingFailuresEmailId(pool: pg.Pool, recipient: string): Promise<string | null> {
  const { rows } = await PENDING.run(pool, { kind: 'FAILURES', recipient });
  return rows[0]?.id ?? null;
}
