import { jsonPrefix } from './bounded-json';
import { evaluateChanged, FIRST_OF_KEY, type PreviousEvent } from './changed';
import { type JsonPathParse, parseJsonPath } from './json-path';
import { MAX_FILTER_NODES, selectValues } from './select';
import {
  type FilterReport,
  type FilterReportEntry,
  filterExpected,
  MAX_FILTER_VALUE_LENGTH,
  type TFilter,
} from './types';

export type { PreviousEvent } from './changed';

export { MAX_FILTER_NODES } from './select';

const MAX_FOUND_SHOWN = 10;
const MAX_FOUND_BYTES = 1024;

/** A filter read once (per webhook version, lib/events/hub-webhooks.ts) and evaluated on every event. */
export interface CompiledFilter {
  filter: TFilter;
  parsed: JsonPathParse;
  accepted: ReadonlySet<string>;
}

export function compileFilter(filter: TFilter): CompiledFilter {
  const value = filterExpected(filter) ?? [];
  return {
    filter,
    parsed: parseJsonPath(filter.arguments[0].jsonPath),
    accepted: new Set(typeof value === 'string' ? [value] : value),
  };
}

/** Whether any of the filters compares with the previous event of the key (the emit then reads it). */
export function comparesWithPrevious(filters: readonly CompiledFilter[]): boolean {
  return filters.some(({ filter }) => filter.type === 'changed');
}

export function compileFilters(filters: readonly TFilter[]): CompiledFilter[] {
  return filters.map(compileFilter);
}

/**
 * A string this short fits any limit used here as JSON, escapes included (at most 6 characters
 * each): most selected values (ids, URIs, statuses) skip the bounded serializer altogether.
 */
const SHORT_STRING = Math.floor((MAX_FOUND_BYTES - 2) / 6);

/**
 * How a selected value compares with a filter's strings: strings as they are, anything else as
 * JSON; null for JSON longer than any filter value, which therefore cannot match.
 */
function comparable(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  const json = jsonPrefix(value, MAX_FILTER_VALUE_LENGTH);
  return json.complete ? json.text : null;
}

function shownValue(value: unknown): unknown {
  if (typeof value === 'string' ? value.length <= SHORT_STRING : value === null || typeof value !== 'object') {
    return value;
  }
  const json = jsonPrefix(value, MAX_FOUND_BYTES);
  return json.complete ? value : `${json.text}…`;
}

function shown(values: readonly unknown[]): unknown[] {
  const count = Math.min(values.length, MAX_FOUND_SHOWN);
  const result = new Array<unknown>(count);
  for (let i = 0; i < count; i++) result[i] = shownValue(values[i]);
  return result;
}

function accepts(accepted: ReadonlySet<string>, candidate: unknown): string | undefined {
  const text = comparable(candidate);
  return text !== null && accepted.has(text) ? text : undefined;
}

/** The first selected value (or element of a selected array) among the accepted strings. */
function firstMatch(values: readonly unknown[], accepted: ReadonlySet<string>, budget: number): string | undefined {
  let spent = 0;
  for (const value of values) {
    const match = accepts(accepted, value);
    if (match !== undefined) return match;
    // A path selecting an array (e.g. `$.payload.assignees`) matches on any of its elements too.
    if (!Array.isArray(value)) continue;
    for (const element of value) {
      if (++spent > budget) return undefined;
      const elementMatch = accepts(accepted, element);
      if (elementMatch !== undefined) return elementMatch;
    }
  }
  return undefined;
}

/**
 * `previous` is the previous event of the document's key, for `changed` filters; without it, the
 * event counts as the first of its key.
 */
export function evaluateCompiledFilter(
  compiled: CompiledFilter,
  document: unknown,
  previous: PreviousEvent = FIRST_OF_KEY,
): FilterReportEntry {
  const { filter, parsed, accepted } = compiled;
  const { jsonPath } = filter.arguments[0];
  const expected = filterExpected(filter);
  const base = { jsonPath, type: filter.type, ...(expected === undefined ? {} : { expected }) };
  if (!parsed.ok) {
    if (parsed.problem.kind === 'invalid') {
      return { ...base, found: [], outcome: 'ignored', reason: `invalid JSONPath: ${parsed.problem.reason}` };
    }
    // A stored path saved before such paths were refused. Not sent rather than ignored: the filter
    // was meant to hold events back, and may have held this one.
    return { ...base, found: [], outcome: 'not_matched', reason: `not evaluated: ${parsed.problem.reason}` };
  }
  if (filter.type === 'changed') return evaluateChanged(jsonPath, parsed.path, document, previous, shown);
  const selection = selectValues(parsed.path, document);
  if (!selection.ok) {
    return {
      ...base,
      found: [],
      outcome: 'not_matched',
      reason: `evaluation budget of ${MAX_FILTER_NODES.toLocaleString('en')} nodes exceeded`,
    };
  }
  const { values } = selection;
  if (values.length === 0) {
    return { ...base, found: [], outcome: 'ignored', reason: 'the path selects nothing in this event' };
  }
  // Elements of selected arrays share the path's budget: the comparison is part of the filter's work.
  const match = firstMatch(values, accepted, MAX_FILTER_NODES - selection.visited);
  const found = shown(values);
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
export function evaluateCompiledFilters(
  filters: readonly CompiledFilter[],
  document: unknown,
  previous: PreviousEvent = FIRST_OF_KEY,
): FilterReport {
  const entries = filters.map((filter) => evaluateCompiledFilter(filter, document, previous));
  return { matched: entries.every((entry) => entry.outcome !== 'not_matched'), filters: entries };
}

export function evaluateFilters(
  filters: readonly TFilter[],
  document: unknown,
  previous: PreviousEvent = FIRST_OF_KEY,
): FilterReport {
  return evaluateCompiledFilters(compileFilters(filters), document, previous);
}
