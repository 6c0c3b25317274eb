import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { prisma } from '../db/client';
import {
  bound,
  executeInPrisma,
  type Hole,
  type Param,
  type PrismaRaw,
  param,
  queryInPrisma,
  sql,
  statement,
} from '../db/sql';
import { addJobs } from '../jobs/jobs-sql';
import { confirmationEmailJob } from './email-job-types';

/**
 * Notification addresses and their confirmation. A webhook's creator may type any address; Herald
 * mails failures to it only once it is confirmed, so a webhook cannot turn Herald into a relay
 * that mails strangers. An address is confirmed by opening the link mailed to it (single use,
 * only its SHA-256 kept), or by belonging to a Herald user (the users table). Addresses are
 * compared lower-cased, as users' are stored.
 */

/** A confirmation link works this long after it was mailed. */
export const CONFIRMATION_TTL_MS = 7 * 86_400_000;
/** Naming an unconfirmed address again mails it another link at most this often. */
export const CONFIRMATION_RESEND_AFTER_MS = 86_400_000;

export function addressKey(email: string): string {
  return email.trim().toLowerCase();
}

export function hashConfirmationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** An address row `a` that still needs its link: not confirmed, and not a user's (those count as confirmed). */
const awaitingConfirmation = sql`a.confirmed_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM users u WHERE u.email = a.email)`;

const REMEMBER = statement(
  'addresses-remember',
  { keys: param<readonly string[]>('text[]') },
  (p) => sql`
    INSERT INTO notification_addresses (email) SELECT unnest(${p.keys}) ON CONFLICT DO NOTHING`,
);

const QUEUE_CONFIRMATIONS = statement<{ keys: Param<readonly string[]> }, { id: string; recipient: string }>(
  'addresses-queue-confirmations',
  { keys: param('text[]') },
  (p) => sql`
    INSERT INTO notification_emails (id, kind, recipient)
    SELECT gen_random_uuid(), 'CONFIRMATION', a.email
      FROM notification_addresses a
     WHERE a.email = ANY(${p.keys}) AND ${awaitingConfirmation}
       AND NOT EXISTS (SELECT 1 FROM notification_emails m
                        WHERE m.kind = 'CONFIRMATION' AND m.recipient = a.email
                          AND (m.status = 'PENDING'
                               OR m.created_date > now() - ${bound(CONFIRMATION_RESEND_AFTER_MS)} * interval '1 millisecond'))
    ON CONFLICT DO NOTHING
    RETURNING id, recipient`,
);

/**
 * Called in a webhook save's transaction with the addresses it newly names: each is remembered,
 * and each that is neither confirmed nor a user's gets a confirmation email queued, unless one is
 * waiting or was queued within CONFIRMATION_RESEND_AFTER_MS, with the job that sends it. So 25 webhooks naming one address,
 * at once or one by one, mail it one link; two saves racing meet at the unique index of pending
 * emails and queue one.
 */
export async function nameAddresses(db: PrismaRaw, emails: readonly string[]): Promise<void> {
  const keys = [...new Set(emails.map(addressKey))];
  if (keys.length === 0) return;
  await executeInPrisma(db, REMEMBER, { keys });
  const queued = await queryInPrisma(db, QUEUE_CONFIRMATIONS, { keys });
  await addJobs(
    db,
    queued.map((email) => confirmationEmailJob(email.id, email.recipient)),
  );
}

/** Whether Herald may mail failures to `address` (lower-cased): it is confirmed, or a user's. */
export const mailable = (address: Hole) => sql`
  (EXISTS (SELECT 1 FROM notification_addresses a WHERE a.email = ${address} AND a.confirmed_at IS NOT NULL)
   OR EXISTS (SELECT 1 FROM users u WHERE u.email = ${address}))`;

const CONFIRMED = statement<{ keys: Param<readonly string[]> }, { email: string }>(
  'addresses-confirmed',
  { keys: param('text[]') },
  (p) => sql`
    SELECT k.email FROM unnest(${p.keys}) AS k(email)
     WHERE ${mailable(sql`k.email`)}`,
);

/** Which of these addresses (as typed) Herald may mail: confirmed, or a user's. Keys are lower-cased. */
export async function confirmedAddresses(emails: readonly string[], db: PrismaRaw = prisma()): Promise<Set<string>> {
  const keys = [...new Set(emails.map(addressKey))];
  if (keys.length === 0) return new Set();
  const rows = await queryInPrisma(db, CONFIRMED, { keys });
  return new Set(rows.map((row) => row.email));
}

const MAILABLE = statement<{ email: Param<string> }, { mailable: boolean }>(
  'addresses-mailable',
  { email: param() },
  (p) => sql`
SELECT ${mailable(p.email)} AS mailable`,
);

/**
 * Whether the sender may mail failures to this (lower-cased) address right now: checked again as
 * each digest goes out, so an email gathered before the address stopped qualifying (emails queued
 * before confirmation existed, a user removed since) is dropped rather than sent.
 */
export async function isMailable(pool: pg.Pool, email: string): Promise<boolean> {
  const { rows } = await MAILABLE.run(pool, { email });
  return rows[0]?.mailable === true;
}

const ISSUE_TOKEN = statement(
  'addresses-issue-token',
  { email: param<string>(), tokenHash: param<string>() },
  (p) => sql`UPDATE notification_addresses a
        SET token_hash = ${p.tokenHash}, token_expires_at = now() + ${bound(CONFIRMATION_TTL_MS)} * interval '1 millisecond'
      WHERE a.email = ${p.email} AND ${awaitingConfirmation}`,
);

/**
 * A new link for a CONFIRMATION email about to be sent: made at send time, so no usable token
 * ever waits in the database. Null when there is nothing to confirm any more (confirmed since,
 * or a user's): the email is dropped. A resend after a crash makes a new link; the one before
 * stops working.
 */
export async function issueConfirmationToken(pool: pg.Pool, email: string): Promise<string | null> {
  const token = randomBytes(32).toString('base64url');
  const { rowCount } = await ISSUE_TOKEN.run(pool, { email, tokenHash: hashConfirmationToken(token) });
  return rowCount === 1 ? token : null;
}

const INVALID =
  'This confirmation link is not valid any more: it was used already, replaced by a newer one, or expired.';

export type ConfirmationLookup = { ok: true; email: string } | { ok: false; message: string };

/** What the confirmation page shows before anything changes (a GET, which mail scanners also make). */
export async function lookupConfirmation(token: string): Promise<ConfirmationLookup> {
  if (!token || token.length > 128) return { ok: false, message: INVALID };
  const row = await prisma().notificationAddress.findUnique({
    where: { tokenHash: hashConfirmationToken(token) },
    select: { email: true, tokenExpiresAt: true, confirmedAt: true },
  });
  if (!row || row.confirmedAt || !row.tokenExpiresAt || row.tokenExpiresAt <= new Date()) {
    return { ok: false, message: INVALID };
  }
  return { ok: true, email: row.email };
}

const CONFIRM = statement<{ tokenHash: Param<string> }, { email: string }>(
  'addresses-confirm',
  { tokenHash: param() },
  (p) => sql`
    UPDATE notification_addresses
       SET confirmed_at = now(), token_hash = NULL, token_expires_at = NULL
     WHERE token_hash = ${p.tokenHash} AND token_expires_at > now() AND confirmed_at IS NULL
     RETURNING email`,
);

/** Confirms the address of a valid link, and uses the link up (a conditional update: once). */
export async function confirmAddress(token: string): Promise<ConfirmationLookup> {
  if (!token || token.length > 128) return { ok: false, message: INVALID };
  const rows = await queryInPrisma(prisma(), CONFIRM, { tokenHash: hashConfirmationToken(token) });
  const row = rows[0];
  return row ? { ok: true, email: row.email } : { ok: false, message: INVALID };
}
