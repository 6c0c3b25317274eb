import { JSONPath } from 'jsonpath-plus';
import { describe, expect, it } from 'vitest';
import { EVENT_CATALOG } from '../../lib/events/catalog';
import { jsonPathError, parseJsonPath } from '../../lib/filters/json-path';
import { selectValues } from '../../lib/filters/select';
import { ZFilter } from '../../lib/filters/types';

const allSnippets = EVENT_CATALOG.flatMap((event) => event.filterSnippets);
const snippetPaths = [...new Set(allSnippets.map((s) => s.jsonPath))];
/**
 * The paths of `equal` snippets, the filters Amplience's webhooks have, which jsonpath-plus evaluated
 * before Herald had its own grammar. `changed` snippets are Herald's own and may use RFC 9535 shapes
 * jsonpath-plus reads differently (`$.payload['start','end']` selects nothing there).
 */
const equalSnippetPaths = [...new Set(allSnippets.filter((s) => s.type !== 'changed').map((s) => s.jsonPath))];

/** Shapes the docs, the README and Herald's own help use, beyond the catalog's snippets. */
const documentedPaths = [
  '$',
  '$.payload',
  '$.payload.assignees',
  '$.payload.assignees[0]',
  '$.payload.assignees[*]',
  '$.payload.assignees[0:1]',
  "$.payload['body']['_meta'].schema",
  '$.payload["body"]._meta["schema"]',
  '$.payload.*',
  '$..schema',
  '$.payload..id',
  '$..*',
  "$..['schema']",
];

describe('the JSONPath grammar', () => {
  it('reads every snippet of the catalog and every documented shape', () => {
    expect(snippetPaths.length).toBeGreaterThan(10);
    for (const path of [...snippetPaths, ...documentedPaths]) {
      expect(jsonPathError(path), path).toBeNull();
    }
  });

  it('selects what jsonpath-plus selected for those paths, on every sample event', () => {
    for (const event of EVENT_CATALOG) {
      for (const sample of event.samples) {
        for (const path of [...equalSnippetPaths, ...documentedPaths]) {
          const parsed = parseJsonPath(path);
          if (!parsed.ok) throw new Error(`${path} did not parse`);
          const ours = selectValues(parsed.path, sample.envelope);
          const theirs = JSONPath({ path, json: sample.envelope, wrap: true, eval: false }) as unknown[];
          expect(ours.ok && ours.values, `${path} on ${event.name}`).toEqual(theirs);
        }
      }
    }
  });

  it.each([
    ['$.payload[', '"[" is not closed at character 10'],
    ['$[', '"[" is not closed at character 2'],
    ['$.payload.name[', '"[" is not closed at character 15'],
    ['$.', 'a name or * is expected after ".", but the path ends at character 3'],
    ['$.payload..', 'a name or * is expected after "..", but the path ends at character 12'],
    ['payload.id', 'it must start with "$"'],
    ['$payload', '".", ".." or "[" is expected, but "p" at character 2'],
    ['$.payload id', '".", ".." or "[" is expected, but " " at character 10'],
    ["$.payload['id]", "the name quoted with ' is not closed at character 11"],
    ['$.payload[id]', 'a quoted name, an index, a slice or * is expected, but "i" at character 11'],
    ['$.payload[0', '"[" is not closed at character 10'],
    ['$.payload[0 1]', '"]" is expected, but "1" at character 13'],
    ['$[?(@.x == 1)]', 'filter and script expressions ([?(…)], [(…)]) are not supported at character 3'],
    ['$.payload[*,0]', '"]" is expected, but "," at character 12'],
    ["$['a\\x']", 'unknown escape "\\x" at character 5'],
  ])('refuses %s: %s', (path, reason) => {
    const parsed = parseJsonPath(path);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem).toEqual({ kind: 'invalid', reason });
    expect(jsonPathError(path)).toBe(`invalid JSONPath ${JSON.stringify(path)}: ${reason}`);
  });

  it('refuses more than one recursive descent as unbounded, naming the path', () => {
    for (const path of ['$..*..*..*..*', '$..a..b', '$.payload..body..id']) {
      const parsed = parseJsonPath(path);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.problem.kind).toBe('unbounded');
      expect(jsonPathError(path)).toMatch(
        new RegExp(`^JSONPath refused "${path.replace(/[.*$[\]]/g, '\\$&')}": it has \\d recursive descents`),
      );
    }
  });

  it('counts a negative index from the end, as RFC 9535 does (jsonpath-plus selected nothing)', () => {
    const parsed = parseJsonPath('$.list[-1]');
    expect(parsed.ok && selectValues(parsed.path, { list: [1, 2, 3] })).toEqual({ ok: true, values: [3], visited: 2 });
  });

  it('selects each name of a union in order (jsonpath-plus read the quotes as part of the names)', () => {
    const parsed = parseJsonPath("$.payload['b', 'missing', 'a']");
    expect(parsed.ok && selectValues(parsed.path, { payload: { a: 1, b: 2 } })).toEqual({
      ok: true,
      values: [2, 1],
      visited: 3,
    });
  });

  it('reads quoted names with escapes and blanks inside brackets', () => {
    const parsed = parseJsonPath(`$[ 'a b' , "c\\"d", '\\u00e9' ]`);
    expect(parsed.ok && parsed.path.segments[0]?.selectors).toEqual([
      { kind: 'name', name: 'a b' },
      { kind: 'name', name: 'c"d' },
      { kind: 'name', name: 'é' },
    ]);
  });

  it('is what the API checks on save: the error names the field and the path', () => {
    const result = ZFilter.safeParse({ type: 'equal', arguments: [{ jsonPath: '$.payload[' }, { value: 'x' }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['arguments', 0, 'jsonPath']);
    expect(result.error?.issues[0]?.message).toBe('invalid JSONPath "$.payload[": "[" is not closed at character 10');
  });
});

describe('evaluation with a budget', () => {
  const chain = (depth: number): unknown => (depth === 0 ? 'leaf' : { a: chain(depth - 1), b: depth });

  it('answers within the budget and reports the work', () => {
    const parsed = parseJsonPath('$..*');
    if (!parsed.ok) throw new Error('did not parse');
    const selection = selectValues(parsed.path, chain(60));
    expect(selection.ok).toBe(true);
    if (selection.ok) expect(selection.values.length).toBe(120);
  });

  it('stops as soon as the work passes the budget, whatever the path multiplies', () => {
    const repeated = `[${Array.from({ length: 20 }, () => "'a'").join(',')}]`;
    const parsed = parseJsonPath(`$..*${repeated}${repeated}${repeated}${repeated}`);
    if (!parsed.ok) throw new Error('did not parse');
    const selection = selectValues(parsed.path, chain(60), 1000);
    expect(selection).toEqual({ ok: false, visited: 1001 });
  });
});
