import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCircles, libImportGraph } from '../../scripts/import-layers';

const root = path.resolve(import.meta.dirname, '../..');
const { graph, outside } = libImportGraph(root);

describe('lib/ import structure', () => {
  it('has no circle: no lib/ folder imports a folder that imports it', () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it('never imports app/ or components/', () => {
    expect(outside).toEqual([]);
  });

  it('keeps the outbox the queue alone: it imports only the database and what its statements write', () => {
    expect([...(graph.get('outbox') ?? [])].sort()).toEqual(['db', 'delivery-stats', 'filters']);
  });

  it('finds a circle when there is one', () => {
    const withCircle = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(importCircles(withCircle)).toEqual([['a', 'b', 'c']]);
  });
});
