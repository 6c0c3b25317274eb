import { describe, expect, it } from 'vitest';
import contentItemCreated from '../../lib/events/samples/content-item.created.json';
import snapshotFromContentItem from '../../lib/events/samples/snapshot.published.content-item.json';
import { evaluateFilters, MAX_SCANNED_VALUES } from '../../lib/filters/evaluate';
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
    for (const path of ['payload.id', '$.payload[?(@.x ==']) {
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

  it('does not run a scanning path over a huge event, and says why; direct paths still run', () => {
    const huge = envelope(wide(MAX_SCANNED_VALUES + 10));
    const [entry] = evaluateFilters([scanning], huge).filters;
    expect(entry?.outcome).toBe('not_matched');
    expect(entry?.reason).toContain('not evaluated: this path scans the event');
    expect(evaluateFilters([direct], huge).filters[0]?.outcome).toBe('matched');
  });
});
