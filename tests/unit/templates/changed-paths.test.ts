import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { changedPaths, MAX_CHANGES } = require('../../../lib/templates/thread/changed-paths.cjs') as {
  changedPaths: (before: unknown, after: unknown, limits?: { maxChanges?: number; maxCompared?: number }) => string[];
  MAX_CHANGES: number;
};
const { createRenderer } = require('../../../lib/templates/thread/renderer.cjs') as {
  createRenderer: () => { render: (job: unknown) => { ok: boolean; outputs?: string[] } };
};

describe('changes (paths of the payload that differ from the previous one)', () => {
  it('lists changed leaves in dot form, and nothing for equal payloads whatever their key order', () => {
    const before = { id: 'a', body: { slug: 'old', title: 'T', _meta: { schema: 's' } }, version: 1 };
    const after = { version: 2, id: 'a', body: { _meta: { schema: 's' }, title: 'T', slug: 'new' } };
    expect(changedPaths(before, after)).toEqual(['version', 'body.slug']);
    expect(changedPaths(before, structuredClone(before))).toEqual([]);
  });

  it('lists an added or removed field once at its own path, and array elements by index', () => {
    const before = { body: { tags: ['a', 'b', 'c'], seo: { title: 'x', description: 'y' } } };
    const after = { body: { tags: ['a', 'B'], hero: { image: 'i' } } };
    expect(changedPaths(before, after)).toEqual(['body.tags.1', 'body.tags.2', 'body.hero', 'body.seo']);
  });

  it('lists a value whose kind changed (object to string, null to object) at its path', () => {
    expect(changedPaths({ a: { b: 1 }, c: null }, { a: 'text', c: { d: 1 } })).toEqual(['a', 'c']);
  });

  it('stops at its limits: at most maxChanges paths; where the visit budget runs out, that path is listed', () => {
    const before = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]));
    const after = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i + 1]));
    expect(changedPaths(before, after)).toHaveLength(MAX_CHANGES);
    const deep = { body: { list: Array.from({ length: 1000 }, (_, i) => i) } };
    const changed = { body: { list: Array.from({ length: 1000 }, (_, i) => (i === 999 ? -1 : i)) } };
    expect(changedPaths(deep, changed, { maxCompared: 100 })).toEqual(['body.list.97']);
  });
});

describe('the render context', () => {
  const renderer = createRenderer();
  const render = (source: string, previous?: string | null) =>
    renderer.render({
      templates: [{ kind: 'payload', source }],
      context: JSON.stringify({ name: 'e', payload: { id: 'a', body: { slug: 'new' } } }),
      contents: [],
      maxOutputBytes: 10_000,
      previous,
    });

  it('has previous and changes when the job carries a previous payload', () => {
    const result = render(
      '{{previous.body.slug}}>{{payload.body.slug}} {{#each changes}}[{{this}}]{{/each}}',
      '{"id":"a","body":{"slug":"old"}}',
    );
    expect(result).toEqual({ ok: true, outputs: ['old>new [body.slug]'] });
  });

  it('has neither when there is no previous payload', () => {
    for (const previous of [null, undefined]) {
      expect(render('{{#if previous}}yes{{else}}no{{/if}}:{{changes.length}}', previous)).toEqual({
        ok: true,
        outputs: ['no:'],
      });
    }
  });
});
