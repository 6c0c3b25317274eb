import { jsonPrefix } from './bounded-json';
import type { ParsedPath } from './json-path';
import { MAX_FILTER_NODES, selectValues } from './select';
import type { FilterReportEntry } from './types';

/**
 * The `changed` filter: true when what a path selects differs from what it selected in the previous
 * event of the same key (lib/event-keys). The emit finds that event (lib/key-history) before filters
 * are evaluated; this module only compares.
 */

/** What the emit knows about the previous event of an event's key. */
export type PreviousEvent =
  /** The event has no key (no id at the key's path): it counts as changed. */
  | { kind: 'keyless' }
  /** No earlier event of the key is kept (its first, or the earlier ones were pruned): it counts as changed. */
  | { kind: 'first' }
  /** The standard envelope of the previous event of the key. */
  | { kind: 'found'; envelope: unknown };

export const FIRST_OF_KEY: PreviousEvent = { kind: 'first' };

/** Longest text of one side of "was …, now …" in a report. */
const SHOWN_CHARS = 200;

class OverBudget extends Error {}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * JSON deep equality (key order aside) counting every value compared against `budget`; throws
 * OverBudget past it, so two big equal subtrees cost no more than any other filter.
 */
function sameJson(a: unknown, b: unknown, budget: { left: number }): boolean {
  if (--budget.left < 0) throw new OverBudget();
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i], budget)) return false;
    return true;
  }
  if (!isObject(a) || !isObject(b)) return false;
  let count = 0;
  for (const key in a) {
    if (!Object.hasOwn(a, key)) continue;
    count++;
    if (!Object.hasOwn(b, key) || !sameJson(a[key], b[key], budget)) return false;
  }
  for (const key in b) if (Object.hasOwn(b, key) && --count < 0) return false;
  return count === 0;
}

/** Equal selections: as many values, pairwise equal. null when the budget ran out first. */
export function sameSelections(now: readonly unknown[], before: readonly unknown[], budget: number): boolean | null {
  if (now.length !== before.length) return false;
  const left = { left: budget };
  try {
    return now.every((value, index) => sameJson(value, before[index], left));
  } catch (error) {
    if (error instanceof OverBudget) return null;
    throw error;
  }
}

function describe(values: readonly unknown[]): string {
  if (values.length === 0) return 'nothing';
  const text = values.length === 1 ? jsonPrefix(values[0], SHOWN_CHARS) : jsonPrefix(values, SHOWN_CHARS);
  return text.complete ? text.text : `${text.text}…`;
}

const overBudget = `evaluation budget of ${MAX_FILTER_NODES.toLocaleString('en')} nodes exceeded`;

/**
 * Evaluates a `changed` filter whose path parsed. `shown` bounds the values kept in the report, as
 * for the other types.
 */
export function evaluateChanged(
  jsonPath: string,
  path: ParsedPath,
  document: unknown,
  previous: PreviousEvent,
  shown: (values: readonly unknown[]) => unknown[],
): FilterReportEntry {
  const base = { jsonPath, type: 'changed' as const };
  const now = selectValues(path, document);
  if (!now.ok) return { ...base, found: [], outcome: 'not_matched', reason: overBudget };
  const found = shown(now.values);
  if (previous.kind === 'keyless') {
    return { ...base, found, outcome: 'matched', change: 'this event has no key, so it counts as changed' };
  }
  if (previous.kind === 'first') return { ...base, found, outcome: 'matched', change: 'first event of this key' };
  // Both selections and the comparison share the one budget of a filter.
  const before = selectValues(path, previous.envelope, MAX_FILTER_NODES - now.visited);
  if (!before.ok) return { ...base, found, outcome: 'not_matched', reason: overBudget };
  const shownBefore = shown(before.values);
  if (now.values.length === 0 && before.values.length === 0) {
    return {
      ...base,
      found,
      previous: shownBefore,
      outcome: 'ignored',
      reason: 'the path selects nothing in this event or in the previous one of its key',
    };
  }
  const same = sameSelections(now.values, before.values, MAX_FILTER_NODES - now.visited - before.visited);
  if (same === null) return { ...base, found, previous: shownBefore, outcome: 'not_matched', reason: overBudget };
  const change = `was ${describe(before.values)}, now ${describe(now.values)}`;
  if (!same) return { ...base, found, previous: shownBefore, outcome: 'matched', change };
  return {
    ...base,
    found,
    previous: shownBefore,
    outcome: 'not_matched',
    change,
    reason: 'unchanged since the previous event of this key',
  };
}
