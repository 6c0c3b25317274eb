import type pg from 'pg';
import { uuid7 } from '../crypto/uuid7';
import type { AuditChanges, AuditEntryInput } from './types';

export type { AuditActor, AuditChanges, AuditContext, AuditEntryInput } from './types';

/** What recordAudit needs of a Prisma client: a transaction's `tx`, or the client itself. */
interface PrismaLike {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

/** A Prisma transaction client (or the client itself), or a raw `pg` client inside a transaction. */
export type AuditDb = PrismaLike | pg.ClientBase;

// Names that must never carry a value into the log, whatever the caller passed.
const SECRET_FIELD = /secret|password|token|credential|authorization/i;

const INSERT = `INSERT INTO "audit_entries"
  ("id", "hub_id", "actor_type", "actor_id", "actor_label", "action", "target_type", "target_id", "target_label",
   "changes", "source_ip")
  VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11)`;

const clip = (value: string | null | undefined, max: number): string | null =>
  value == null ? null : value.length > max ? `${value.slice(0, max - 1)}…` : value;

function safeChanges(changes: AuditChanges | undefined): AuditChanges | null {
  if (!changes || Object.keys(changes).length === 0) return null;
  const safe: AuditChanges = {};
  for (const [field, change] of Object.entries(changes)) {
    safe[field] = SECRET_FIELD.test(field) ? 'changed' : change;
  }
  return safe;
}

// The tally counts up, never down: concurrent writers may arrive out of order.
const UPSERT_TALLY = `${INSERT}
  ON CONFLICT ("id") DO UPDATE SET "changes" = "audit_entries"."changes" || jsonb_build_object($12::text,
    jsonb_build_object('from', NULL, 'to', GREATEST(("audit_entries"."changes" #>> ARRAY[$12::text, 'to'])::int,
      (EXCLUDED."changes" #>> ARRAY[$12::text, 'to'])::int)))`;

function isPrisma(db: AuditDb): db is PrismaLike {
  return '$executeRawUnsafe' in db;
}

/**
 * Writes one audit row through the caller's connection, so it commits or rolls back with the
 * change it describes: a change that fails leaves no entry, and no change goes unrecorded.
 * Returns the entry's id.
 */
export async function recordAudit(db: AuditDb, entry: AuditEntryInput): Promise<string> {
  const id = uuid7();
  await write(db, INSERT, paramsOf(id, entry));
  return id;
}

/**
 * One row that stands for many occurrences (refused sign-ins from one address in one throttle
 * window): the first call writes it, later calls with the same `id` raise the count held in
 * `changes[tallyField].to` (a number in the entry). The caller derives `id` from what names the
 * occurrences (uuid7For), so concurrent calls meet on one row without coordinating.
 */
export async function recordAuditTally(
  db: AuditDb,
  id: string,
  entry: AuditEntryInput,
  tallyField: string,
): Promise<void> {
  const count = entry.changes?.[tallyField];
  if (typeof count !== 'object' || !Number.isInteger(count.to)) {
    throw new Error(`recordAuditTally: changes.${tallyField}.to must be a whole number`);
  }
  await write(db, UPSERT_TALLY, [...paramsOf(id, entry), tallyField]);
}

async function write(db: AuditDb, query: string, params: unknown[]): Promise<void> {
  if (isPrisma(db)) await db.$executeRawUnsafe(query, ...params);
  else await db.query(query, params);
}

function paramsOf(id: string, entry: AuditEntryInput): unknown[] {
  const changes = safeChanges(entry.changes);
  return [
    id,
    entry.hubId,
    entry.actor.type,
    clip(entry.actor.id, 64),
    clip(entry.actor.label, 320) ?? '',
    clip(entry.action, 64),
    clip(entry.target?.type, 32),
    clip(entry.target?.id, 64),
    clip(entry.target?.label, 256),
    changes === null ? null : JSON.stringify(changes),
    clip(entry.sourceIp, 64),
  ];
}
