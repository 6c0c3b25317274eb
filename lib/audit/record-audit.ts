import { uuid7 } from '../crypto/uuid7';
import { type Executor, execute, jsonParam, param, sql, statement, type ValuesOf } from '../db/sql';
import type { AuditChanges, AuditEntryInput } from './types';

export type { AuditActor, AuditChanges, AuditContext, AuditEntryInput } from './types';

/** A Prisma transaction client (or the client itself), or a raw `pg` client inside a transaction. */
export type AuditDb = Executor;

// Names that must never carry a value into the log, whatever the caller passed.
const SECRET_FIELD = /secret|password|token|credential|authorization/i;

const entryParams = () => ({
  id: param<string>('uuid'),
  hubId: param<string | null>(),
  actorType: param<string>(),
  actorId: param<string | null>(),
  actorLabel: param<string>(),
  action: param<string | null>(),
  targetType: param<string | null>(),
  targetId: param<string | null>(),
  targetLabel: param<string | null>(),
  changes: jsonParam<AuditChanges | null>('jsonb', (changes) => changes),
  sourceIp: param<string | null>(),
});

type EntryParams = ReturnType<typeof entryParams>;

const insert = (p: EntryParams) => sql`INSERT INTO "audit_entries"
  ("id", "hub_id", "actor_type", "actor_id", "actor_label", "action", "target_type", "target_id", "target_label",
   "changes", "source_ip")
  VALUES (${p.id}, ${p.hubId}, ${p.actorType}, ${p.actorId}, ${p.actorLabel}, ${p.action}, ${p.targetType}, ${p.targetId}, ${p.targetLabel}, ${p.changes}, ${p.sourceIp})`;

const INSERT = statement('audit-insert', entryParams(), insert);

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
const UPSERT_TALLY = statement(
  'audit-upsert-tally',
  { ...entryParams(), tallyField: param<string>('text') },
  (p) => sql`${insert(p)}
  ON CONFLICT ("id") DO UPDATE SET "changes" = "audit_entries"."changes" || jsonb_build_object(${p.tallyField},
    jsonb_build_object('from', NULL, 'to', GREATEST(("audit_entries"."changes" #>> ARRAY[${p.tallyField}, 'to'])::int,
      (EXCLUDED."changes" #>> ARRAY[${p.tallyField}, 'to'])::int)))`,
);

/**
 * Writes one audit row through the caller's connection, so it commits or rolls back with the
 * change it describes: a change that fails leaves no entry, and no change goes unrecorded.
 * Returns the entry's id.
 */
export async function recordAudit(db: AuditDb, entry: AuditEntryInput): Promise<string> {
  const id = uuid7();
  await execute(db, INSERT, valuesOf(id, entry));
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
  await execute(db, UPSERT_TALLY, { ...valuesOf(id, entry), tallyField });
}

function valuesOf(id: string, entry: AuditEntryInput): ValuesOf<EntryParams> {
  return {
    id,
    hubId: entry.hubId,
    actorType: entry.actor.type,
    actorId: clip(entry.actor.id, 64),
    actorLabel: clip(entry.actor.label, 320) ?? '',
    action: clip(entry.action, 64),
    targetType: clip(entry.target?.type, 32),
    targetId: clip(entry.target?.id, 64),
    targetLabel: clip(entry.target?.label, 256),
    changes: safeChanges(entry.changes),
    sourceIp: clip(entry.sourceIp, 64),
  };
}
