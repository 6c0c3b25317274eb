import { JSONPath } from 'jsonpath-plus';
import type { FilterReport, FilterReportEntry, TFilter } from './types';

const MAX_FOUND_SHOWN = 10;
const MAX_FOUND_BYTES = 1024;

type Selection = { ok: true; values: unknown[] } | { ok: false; reason: string };

function select(jsonPath: string, document: unknown): Selection {
  if (!jsonPath.startsWith('$')) return { ok: false, reason: 'invalid JSONPath: it must start with "$"' };
  try {
    const values = JSONPath({ path: jsonPath, json: document as object, wrap: true, eval: 'safe' }) as unknown[];
    return { ok: true, values };
  } catch (error) {
    return { ok: false, reason: `invalid JSONPath: ${(error as Error).message}` };
  }
}

/** How a selected value compares with a filter's strings: strings as they are, anything else as JSON. */
function comparable(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A path selecting an array (e.g. `$.payload.assignees`) matches on any of its elements too. */
function candidates(values: unknown[]): unknown[] {
  return values.flatMap((value) => (Array.isArray(value) ? [value, ...value] : [value]));
}

function shown(values: unknown[]): unknown[] {
  return values.slice(0, MAX_FOUND_SHOWN).map((value) => {
    const json = JSON.stringify(value) ?? 'null';
    return json.length > MAX_FOUND_BYTES ? `${json.slice(0, MAX_FOUND_BYTES)}…` : value;
  });
}

/**
 * A path of plain names and indexes (`$.payload.body._meta.schema`, `$.a[0]['b c']`) costs its
 * length; one with recursive descent, wildcards, slices or expressions may visit the whole event.
 */
const DIRECT_PATH = /^\$(?:\.[A-Za-z_$][\w$-]*|\[\d+\]|\['[^'*]*'\])*$/;

/**
 * The most values a scanning path is run over. Filters run at ingestion, on the request's
 * thread: `$..*` costs a few microseconds per value, so this keeps one filter under ~50 ms.
 */
export const MAX_SCANNED_VALUES = 10_000;

const valueCounts = new WeakMap<object, number>();

/** Values in a document (objects, arrays and leaves), counted once per document, up to the limit. */
function countValues(document: unknown): number {
  if (document === null || typeof document !== 'object') return 1;
  const known = valueCounts.get(document);
  if (known !== undefined) return known;
  let count = 0;
  const stack: unknown[] = [document];
  while (stack.length > 0 && count <= MAX_SCANNED_VALUES) {
    const value = stack.pop();
    count++;
    if (value !== null && typeof value === 'object') stack.push(...Object.values(value));
  }
  valueCounts.set(document, count);
  return count;
}

export function evaluateFilter(filter: TFilter, document: unknown): FilterReportEntry {
  const [{ jsonPath }, { value: expected }] = filter.arguments;
  const base = { jsonPath, type: filter.type, expected };
  if (!DIRECT_PATH.test(jsonPath) && countValues(document) > MAX_SCANNED_VALUES) {
    // Not sent rather than ignored: the filter was meant to hold this event back, and may have.
    return {
      ...base,
      found: [],
      outcome: 'not_matched',
      reason: `not evaluated: this path scans the event, which holds more than ${MAX_SCANNED_VALUES.toLocaleString('en')} values; use a path of plain names instead`,
    };
  }
  const selection = select(jsonPath, document);
  if (!selection.ok) return { ...base, found: [], outcome: 'ignored', reason: selection.reason };
  if (selection.values.length === 0) {
    return { ...base, found: [], outcome: 'ignored', reason: 'the path selects nothing in this event' };
  }
  const accepted = new Set(typeof expected === 'string' ? [expected] : expected);
  const match = candidates(selection.values)
    .map(comparable)
    .find((value) => accepted.has(value));
  const found = shown(selection.values);
  if (match !== undefined) return { ...base, found, outcome: 'matched', matchedValue: match };
  return {
    ...base,
    found,
    outcome: 'not_matched',
    reason:
      filter.type === 'equal' ? 'no selected value equals the expected value' : 'no selected value is in the list',
  };
}

/** All filters must match; a filter whose path is invalid or selects nothing is ignored. */
export function evaluateFilters(filters: readonly TFilter[], document: unknown): FilterReport {
  const entries = filters.map((filter) => evaluateFilter(filter, document));
  return { matched: entries.every((entry) => entry.outcome !== 'not_matched'), filters: entries };
}
