import type { AuditChanges } from './types';

// Compared as JSON: arrays and objects from the database and from the input compare by content.
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields whose values differ, as `{ from, to }`. Fields named in `secrets` appear as
 * 'changed' when they differ and never with their values.
 */
export function diffFields(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
  secrets: readonly string[] = [],
): AuditChanges {
  const changes: AuditChanges = {};
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (same(before[field], after[field])) continue;
    changes[field] = secrets.includes(field) ? 'changed' : { from: before[field] ?? null, to: after[field] ?? null };
  }
  return changes;
}

/** A new resource's fields, as changes from nothing (secrets as 'changed'). */
export function createdFields(after: Readonly<Record<string, unknown>>, secrets: readonly string[] = []): AuditChanges {
  return diffFields({}, after, secrets);
}
