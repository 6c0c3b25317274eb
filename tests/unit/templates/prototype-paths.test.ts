import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { closeRenderPool, contentItemUpdated, renderPayload } from './fixtures';

afterAll(closeRenderPool);

const require = createRequire(import.meta.url);
const { safeGet, safeGetObject } = require('../../../lib/templates/thread/safe-paths.cjs') as {
  safeGet: (target: unknown, path: unknown) => unknown;
  safeGetObject: (target: unknown, path: unknown) => unknown;
};
const { createRenderer } = require('../../../lib/templates/thread/renderer.cjs') as {
  createRenderer: () => { render: (job: unknown) => { ok: boolean; outputs?: string[]; message?: string } };
};

function withTags(): Record<string, unknown> {
  const envelope = contentItemUpdated();
  (envelope.payload as Record<string, unknown>).tags = [
    { name: 'winter', rank: 2 },
    { name: 'sale', rank: 1 },
  ];
  return envelope;
}

/** Paths that lead off the data into the prototype chain (every one reached a function before). */
const ESCAPES = [
  'constructor',
  'constructor.constructor',
  '__proto__',
  '__proto__.constructor',
  'payload.constructor.constructor',
  'payload.__proto__.__defineGetter__',
  'toString',
  'payload.hasOwnProperty',
  'payload.tags.map',
  'payload.label.constructor',
];

describe('helpers that take a path reach own data only (issue 8, item 13)', () => {
  it.each(ESCAPES)('"%s" gives nothing callable through get, getObject, pick, pluck, option and has', async (path) => {
    const template = [
      `{{typeOf (get "${path}" this)}}`,
      `{{#get "${path}" this}}found{{else}}none{{/get}}`,
      `{{JSONstringify (getObject "${path}" this)}}`,
      `{{JSONstringify (pick "${path}" this)}}`,
      `{{JSONstringify (pluck payload.tags "${path}")}}`,
      `{{typeOf (option "${path}")}}`,
      `{{has "${path}"}}`,
    ].join('|');
    expect(await renderPayload(template, withTags())).toBe(
      'undefined|none|{}|{}|[]|undefined|false'.replaceAll('"', '&quot;'),
    );
  });

  it('cannot build and call a function from the Function constructor', () => {
    // The chain the issue describes: reach Function through a path, then have Handlebars call it
    // (`{{this …}}` calls a function context). Rendered in-process, past the checks made on save.
    const template =
      '{{#each (extend (JSONparse "{}") f=(get "constructor.constructor" this))}}' +
      '{{typeOf this}}{{this "return 42"}}{{/each}}' +
      '{{#with (get "constructor.constructor" this) as |F|}}{{F "return 42"}}{{/with}}';
    const result = createRenderer().render({
      templates: [{ kind: 'payload', source: template }],
      context: withTags(),
      contents: [],
      maxOutputBytes: 1024,
    });
    // `f` is undefined, so `{{this "…"}}` has nothing to call and Handlebars reports a missing helper.
    expect(result.ok ? result.outputs : result.message).toEqual(expect.stringMatching(/^Missing helper/));
  });

  it('filter property= and withSort compare own values only', async () => {
    expect(
      await renderPayload(
        '{{#filter payload.tags "Object" property="constructor.name"}}leak{{else}}none{{/filter}}',
        withTags(),
      ),
    ).toBe('none');
    expect(await renderPayload('{{#withSort payload.tags "constructor.name"}}{{name}},{{/withSort}}', withTags())).toBe(
      'winter,sale,',
    );
  });

  it('ordinary paths still work', async () => {
    const template = [
      '{{get "payload.body.headline" this}}',
      '{{get "payload.tags.1.name" this}}',
      '{{get "length" payload.tags}}',
      '{{#get "payload.body" this}}{{headline}}{{/get}}',
      '{{JSONstringify (getObject "payload.tags[0]" this)}}',
      '{{join (pluck payload.tags "name") ","}}',
      '{{has "payload.body.headline"}}',
      '{{#withSort payload.tags "rank"}}{{name}}{{/withSort}}',
      '{{#filter payload.tags 1 property="rank"}}one{{/filter}}',
      '{{JSONstringify (pick "version" payload)}}',
    ].join('|');
    expect(await renderPayload(template, withTags())).toBe(
      [
        'Winter sale now on!',
        'sale',
        '2',
        'Winter sale now on!',
        '[{"name":"winter","rank":2}]'.replaceAll('"', '&quot;'),
        'winter,sale',
        'true',
        'salewinter',
        'one',
        '{"version":4}'.replaceAll('"', '&quot;'),
      ].join('|'),
    );
  });
});

describe('safeGet / safeGetObject', () => {
  const data = { a: { 'b.c': 1, d: [10, 20] }, 'x.y': 2, constructor: { name: 'own' } };

  it('follows get-value: whole keys, dotted paths, escaped dots, arrays of segments', () => {
    expect(safeGet(data, 'x.y')).toBe(2);
    expect(safeGet(data, 'a.b\\.c')).toBe(1);
    expect(safeGet(data, 'a.d.1')).toBe(20);
    expect(safeGet(data, ['a', 'd', '0'])).toBe(10);
    expect(safeGet(data, '')).toBe(data);
    expect(safeGet('text', 'length')).toBe('text');
  });

  it('refuses inherited properties and blocked names, own or not', () => {
    expect(safeGet(data, 'a.d.map')).toBeUndefined();
    expect(safeGet(data, 'constructor.name')).toBeUndefined();
    expect(safeGet(data, 'constructor')).toBeUndefined();
    expect(safeGet(() => 1, 'prototype')).toBeUndefined();
    expect(safeGet(JSON.parse('{"__proto__":{"x":1}}'), '__proto__.x')).toBeUndefined();
  });

  it('getObject wraps the found value and answers {} for anything refused', () => {
    expect(safeGetObject(data, 'a.d[1]')).toEqual([20]);
    expect(safeGetObject(data, 'a.d')).toEqual({ d: [10, 20] });
    expect(safeGetObject(data, 'constructor.name')).toEqual({});
    expect(safeGetObject(data, 'a.d.map')).toEqual({});
  });
});
