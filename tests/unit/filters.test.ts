import { describe, expect, it } from 'vitest';
import contentItemCreated from '../../lib/events/samples/content-item.created.json';
import snapshotFromContentItem from '../../lib/events/samples/snapshot.published.content-item.json';
import { evaluateFilters, MAX_FILTER_NODES } from '../../lib/filters/evaluate';
import type { TFilter } from '../../lib/filters/types';

const equal = (jsonPath: string, value: string): TFilter => ({ type: 'equal', arguments: [{ jsonPath }, { value }] });
const oneOf = (jsonPath: string, value: string[]): TFilter => ({ type: 'in', arguments: [{ jsonPath }, { value }] });

describe('filters', () => {
  it('equal matches an exact value and reports it', () => {
    const report = evaluateFilters(
      [equal('$.payload.rootContentItem.contentTypeUri', 'https://doc-example.com/root-node.json')],
      snapshotFromContentItem,
    );
    expect(report.matched).toBe(true);
    expect(report.filters[0]).toMatchObject({
      outcome: 'matched',
      matchedValue: 'https://doc-example.com/root-node.json',
      found: ['https://doc-example.com/root-node.json'],
    });
  });

  it('equal is exact: no prefix or case-insensitive match', () => {
    const report = evaluateFilters([equal('$.payload.createdFrom', 'Content-Item')], snapshotFromContentItem);
    expect(report.matched).toBe(false);
    expect(report.filters[0]).toMatchObject({ outcome: 'not_matched', found: ['content-item'] });
  });

  it('in matches one of several values', () => {
    const banner = 'http://example.com/banner.json';
    const carousel = 'http://example.com/carousel.json';
    expect(
      evaluateFilters([oneOf('$.payload.body._meta.schema', [banner, carousel])], contentItemCreated).matched,
    ).toBe(true);
    expect(evaluateFilters([oneOf('$.payload.body._meta.schema', [banner])], contentItemCreated).matched).toBe(false);
  });

  it('ignores a filter whose path selects nothing', () => {
    const report = evaluateFilters([equal('$.payload.not_present', '123')], contentItemCreated);
    expect(report.matched).toBe(true);
    expect(report.filters[0]).toMatchObject({ outcome: 'ignored', reason: 'the path selects nothing in this event' });
  });

  it('ignores a filter whose path is invalid', () => {
    for (const path of [
      'payload.id',
      '$.payload[?(@.x ==',
      '$.payload[',
      '$[',
      '$.payload.name[',
      '$.',
      '$.payload..',
    ]) {
      const report = evaluateFilters([equal(path, 'x')], contentItemCreated);
      expect(report.matched).toBe(true);
      expect(report.filters[0]?.outcome).toBe('ignored');
      expect(report.filters[0]?.reason).toMatch(/^invalid JSONPath/);
    }
  });

  it('needs every filter to match; ignored ones do not count against', () => {
    const filters = [
      equal('$.payload.status', 'ACTIVE'),
      oneOf('$.payload.locale', ['fr-FR', 'de-DE']),
      equal('$.payload.missing', 'anything'),
    ];
    const report = evaluateFilters(filters, contentItemCreated);
    expect(report.matched).toBe(true);
    expect(report.filters.map((entry) => entry.outcome)).toEqual(['matched', 'matched', 'ignored']);

    const failing = evaluateFilters([...filters, equal('$.payload.version', '2')], contentItemCreated);
    expect(failing.matched).toBe(false);
    expect(failing.filters[3]).toMatchObject({ outcome: 'not_matched', found: [1] });
  });

  it('compares non-string values by their JSON text and matches array elements', () => {
    expect(evaluateFilters([equal('$.payload.version', '1')], contentItemCreated).matched).toBe(true);
    expect(
      evaluateFilters([equal('$.payload.assignees', '200827cd-f51c-4d3e-bb50-87623d1c5768')], contentItemCreated)
        .matched,
    ).toBe(true);
  });
});

describe('the cost of a filter', () => {
  const wide = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, 'v']));
  const envelope = (payload: Record<string, unknown>) => ({
    sequenceId: 1,
    id: 'e',
    name: 'dynamic-content.content-item.updated',
    requestId: 'r',
    resource: 'hub',
    payload,
  });
  const scanning: TFilter = { type: 'equal', arguments: [{ jsonPath: '$..k1' }, { value: 'v' }] };
  const direct: TFilter = { type: 'equal', arguments: [{ jsonPath: "$.payload['k1']" }, { value: 'v' }] };

  it('runs a scanning path on an ordinary event', () => {
    expect(evaluateFilters([scanning], envelope(wide(100))).filters[0]?.outcome).toBe('matched');
  });

  it('stops a scanning path at its budget on a huge event, says so, and holds the event back; direct paths still run', () => {
    const huge = envelope(wide(MAX_FILTER_NODES));
    const [entry] = evaluateFilters([scanning], huge).filters;
    expect(entry).toMatchObject({
      outcome: 'not_matched',
      reason: `evaluation budget of ${MAX_FILTER_NODES.toLocaleString('en')} nodes exceeded`,
      found: [],
    });
    expect(evaluateFilters([scanning], huge).matched).toBe(false);
    expect(evaluateFilters([direct], huge).filters[0]?.outcome).toBe('matched');
  });

  it('counts the elements a selected array is searched through against the same budget', () => {
    const long = envelope({ list: Array.from({ length: MAX_FILTER_NODES + 1 }, (_, index) => `v${index}`) });
    const last = `v${MAX_FILTER_NODES}`;
    const [entry] = evaluateFilters(
      [{ type: 'equal', arguments: [{ jsonPath: '$.payload.list' }, { value: last }] }],
      long,
    ).filters;
    expect(entry?.outcome).toBe('not_matched');
    expect(
      evaluateFilters([{ type: 'equal', arguments: [{ jsonPath: '$.payload.list' }, { value: 'v5' }] }], long).matched,
    ).toBe(true);
  });

  it('does not evaluate a stored path with two recursive descents (refused on save since), and holds the event back', () => {
    const [entry] = evaluateFilters(
      [{ type: 'equal', arguments: [{ jsonPath: '$..*..*..*..*' }, { value: 'v' }] }],
      envelope(wide(3)),
    ).filters;
    expect(entry?.outcome).toBe('not_matched');
    expect(entry?.reason).toMatch(/^not evaluated: it has 4 recursive descents/);
  });

  it('shows at most 1 KB of a large selected value and compares it without serializing all of it', () => {
    const big = envelope(wide(5000));
    const [entry] = evaluateFilters(
      [{ type: 'equal', arguments: [{ jsonPath: '$.payload' }, { value: 'x' }] }],
      big,
    ).filters;
    expect(entry?.outcome).toBe('not_matched');
    const shown = entry?.found[0];
    expect(typeof shown).toBe('string');
    expect((shown as string).length).toBe(1025);
    expect((shown as string).endsWith('…')).toBe(true);
  });
});
