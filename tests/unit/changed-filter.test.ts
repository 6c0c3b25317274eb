import { describe, expect, it } from 'vitest';
import { evaluateFilters, MAX_FILTER_NODES } from '../../lib/filters/evaluate';
import { type TFilter, ZFilter } from '../../lib/filters/types';
import { batchKeys, previousEventOf } from '../../lib/key-history/key-history';

const changed = (jsonPath: string): TFilter => ({ type: 'changed', arguments: [{ jsonPath }] });
const envelope = (payload: Record<string, unknown>) => ({ name: 'dynamic-content.content-item.updated', payload });
const found = (payload: Record<string, unknown>) => ({ kind: 'found' as const, envelope: envelope(payload) });

describe('changed filters', () => {
  it('match when the value differs from the previous event of the key, saying was and now', () => {
    const report = evaluateFilters(
      [changed('$.payload.body.slug')],
      envelope({ body: { slug: 'new' } }),
      found({ body: { slug: 'old' } }),
    );
    expect(report.matched).toBe(true);
    expect(report.filters[0]).toEqual({
      jsonPath: '$.payload.body.slug',
      type: 'changed',
      found: ['new'],
      previous: ['old'],
      outcome: 'matched',
      change: 'was "old", now "new"',
    });
  });

  it('do not match an equal value (objects compared as JSON, key order aside)', () => {
    const now = envelope({ body: { seo: { a: 1, b: [1, { c: 2 }] }, title: 'new' } });
    const before = found({ body: { seo: { b: [1, { c: 2 }], a: 1 }, title: 'old' } });
    const report = evaluateFilters([changed('$.payload.body.seo')], now, before);
    expect(report.matched).toBe(false);
    expect(report.filters[0]).toMatchObject({
      outcome: 'not_matched',
      reason: 'unchanged since the previous event of this key',
    });
    expect(evaluateFilters([changed('$.payload.body.title')], now, before).matched).toBe(true);
  });

  it('count the first event of a key, and an event without a key, as changed', () => {
    const now = envelope({ body: { slug: 'x' } });
    expect(evaluateFilters([changed('$.payload.body.slug')], now, { kind: 'first' }).filters[0]).toMatchObject({
      outcome: 'matched',
      change: 'first event of this key',
    });
    expect(evaluateFilters([changed('$.payload.body.slug')], now).filters[0]?.outcome).toBe('matched');
    expect(evaluateFilters([changed('$.payload.body.slug')], now, { kind: 'keyless' }).filters[0]?.change).toBe(
      'this event has no key, so it counts as changed',
    );
  });

  it('match a value that appeared or went away; a path selecting nothing either time is ignored', () => {
    const slug = changed('$.payload.body.slug');
    expect(evaluateFilters([slug], envelope({ body: {} }), found({ body: { slug: 'a' } })).filters[0]).toMatchObject({
      outcome: 'matched',
      change: 'was "a", now nothing',
    });
    expect(evaluateFilters([slug], envelope({ body: {} }), found({ body: {} })).filters[0]?.outcome).toBe('ignored');
  });

  it('combine with equal (AND), and shorten long values in the report', () => {
    const long = 'x'.repeat(5000);
    const report = evaluateFilters(
      [{ type: 'equal', arguments: [{ jsonPath: '$.payload.id' }, { value: 'a' }] }, changed('$.payload.body.text')],
      envelope({ id: 'b', body: { text: long } }),
      found({ id: 'b', body: { text: 'short' } }),
    );
    expect(report.matched).toBe(false);
    expect(report.filters.map((entry) => entry.outcome)).toEqual(['not_matched', 'matched']);
    expect(report.filters[1]?.change?.length).toBeLessThan(300);
    expect(report.filters[1]?.change).toMatch(/^was "short", now "x+…$/);
  });

  it('stay within the filter node budget on huge equal values', () => {
    const big = Array.from({ length: MAX_FILTER_NODES * 2 }, (_, i) => i);
    const report = evaluateFilters([changed('$.payload.list')], envelope({ list: big }), found({ list: [...big] }));
    expect(report.filters[0]).toMatchObject({ outcome: 'not_matched', reason: expect.stringContaining('budget') });
  });

  it('are saved with one JSONPath argument only', () => {
    expect(ZFilter.safeParse(changed('$.payload.body.slug')).success).toBe(true);
    const withValue = { type: 'changed', arguments: [{ jsonPath: '$.a' }, { value: 'x' }] };
    expect(ZFilter.safeParse(withValue).error?.issues[0]?.message).toBe('must be [{ jsonPath }]');
    expect(ZFilter.safeParse({ type: 'like', arguments: [] }).error?.issues[0]?.message).toBe(
      'type must be "equal", "in" or "changed"',
    );
  });
});

describe('keys of a batch', () => {
  it('chain events of one key in order, to the stored head for the first of them', () => {
    const events = [
      { name: 'dynamic-content.content-item.updated', payload: { id: 'a', n: 1 } },
      { name: 'dynamic-content.content-item.updated', payload: { id: 'b', n: 2 } },
      { name: 'dynamic-content.content-item.updated', payload: { id: 'a', n: 3 } },
      { name: 'dynamic-content.content-item.updated', payload: { n: 4 } },
    ];
    const batch = batchKeys(events);
    expect(batch).toEqual({ keys: ['a', 'b', 'a', null], earlier: [-1, -1, 0, -1] });
    const stored = { seen: '7', envelopes: new Map([['a', { payload: { id: 'a', n: 0 } }]]) };
    expect(previousEventOf(batch, stored, 0, events)).toEqual({
      kind: 'found',
      envelope: { payload: { id: 'a', n: 0 } },
    });
    expect(previousEventOf(batch, stored, 1, events)).toEqual({ kind: 'first' });
    expect(previousEventOf(batch, stored, 2, events)).toEqual({ kind: 'found', envelope: events[0] });
    expect(previousEventOf(batch, stored, 3, events)).toEqual({ kind: 'keyless' });
  });
});
