import type { ParsedPath, Selector } from './json-path';

/**
 * Evaluates a parsed path (lib/filters/json-path.ts) on a JSON document, counting its work: every
 * node a step selects and every node a recursive descent passes counts one. The count stops the
 * evaluation as soon as it passes the budget, so no path costs more than its budget on any event,
 * however the event is shaped; jsonpath-plus could not be interrupted.
 */

export type Selection = { ok: true; values: unknown[]; visited: number } | { ok: false; visited: number };

/** The work one filter may do on one event, in nodes. */
export const MAX_FILTER_NODES = 20_000;

class BudgetExceeded extends Error {}

class Budget {
  used = 0;
  constructor(readonly limit: number) {}

  spend(count = 1): void {
    this.used += count;
    if (this.used > this.limit) throw new BudgetExceeded();
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function arrayIndex(length: number, index: number): number {
  return index < 0 ? length + index : index;
}

/** RFC 9535 slice bounds, normalized for a given length. */
function sliceIndexes(length: number, selector: Extract<Selector, { kind: 'slice' }>): number[] {
  const step = selector.step ?? 1;
  if (step === 0) return [];
  const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), high);
  const normal = (value: number) => (value >= 0 ? value : length + value);
  const indexes: number[] = [];
  if (step > 0) {
    const start = clamp(normal(selector.start ?? 0), 0, length);
    const end = clamp(normal(selector.end ?? length), 0, length);
    for (let i = start; i < end; i += step) indexes.push(i);
  } else {
    const start = clamp(normal(selector.start ?? length - 1), -1, length - 1);
    const end = clamp(selector.end === null ? -1 : normal(selector.end), -1, length - 1);
    for (let i = start; i > end; i += step) indexes.push(i);
  }
  return indexes;
}

function applySelector(node: unknown, selector: Selector, out: unknown[], budget: Budget): void {
  switch (selector.kind) {
    case 'name':
      if (isObject(node) && Object.hasOwn(node, selector.name)) {
        budget.spend();
        out.push(node[selector.name]);
      }
      return;
    case 'index':
      if (Array.isArray(node)) {
        const at = arrayIndex(node.length, selector.index);
        if (at >= 0 && at < node.length) {
          budget.spend();
          out.push(node[at]);
        }
      }
      return;
    case 'wildcard':
      if (Array.isArray(node)) {
        budget.spend(node.length);
        for (const child of node) out.push(child);
      } else if (isObject(node)) {
        for (const key in node) {
          if (!Object.hasOwn(node, key)) continue;
          budget.spend();
          out.push(node[key]);
        }
      }
      return;
    case 'slice':
      if (Array.isArray(node)) {
        const indexes = sliceIndexes(node.length, selector);
        budget.spend(indexes.length);
        for (const index of indexes) out.push(node[index]);
      }
      return;
  }
}

/** The node and all its descendants, in document order (pre-order), each counted. */
function descendants(node: unknown, budget: Budget): unknown[] {
  const found: unknown[] = [];
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const current = stack.pop();
    budget.spend();
    found.push(current);
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push(current[i]);
    } else if (isObject(current)) {
      const keys = Object.keys(current);
      for (let i = keys.length - 1; i >= 0; i--) stack.push(current[keys[i] as string]);
    }
  }
  return found;
}

/** A path of plain names and indexes: no list per step, just a walk. */
function selectDirect(path: ParsedPath, document: unknown): Selection {
  let node = document;
  for (const segment of path.segments) {
    const selector = segment.selectors[0] as Selector;
    if (selector.kind === 'name') {
      if (!isObject(node) || !Object.hasOwn(node, selector.name)) return { ok: true, values: [], visited: 0 };
      node = node[selector.name];
    } else if (selector.kind === 'index' && Array.isArray(node)) {
      const at = arrayIndex(node.length, selector.index);
      if (at < 0 || at >= node.length) return { ok: true, values: [], visited: 0 };
      node = node[at];
    } else {
      return { ok: true, values: [], visited: 0 };
    }
  }
  return { ok: true, values: [node], visited: path.segments.length };
}

export function selectValues(path: ParsedPath, document: unknown, limit = MAX_FILTER_NODES): Selection {
  if (path.direct && path.segments.length <= limit) return selectDirect(path, document);
  const budget = new Budget(limit);
  try {
    let current: unknown[] = [document];
    for (const segment of path.segments) {
      const nodes = segment.descendant ? current.flatMap((node) => descendants(node, budget)) : current;
      const next: unknown[] = [];
      for (const node of nodes) {
        for (const selector of segment.selectors) applySelector(node, selector, next, budget);
      }
      current = next;
    }
    return { ok: true, values: current, visited: budget.used };
  } catch (error) {
    if (error instanceof BudgetExceeded) return { ok: false, visited: budget.used };
    throw error;
  }
}
