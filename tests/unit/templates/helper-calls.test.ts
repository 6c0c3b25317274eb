import { createRequire } from 'node:module';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_HELPER_NAMES,
  EXCLUDED_HELPER_NAMES,
  LIBRARY_HELPER_NAMES,
  SUPPORTED_HELPER_GROUPS,
} from '../../../lib/templates/helper-names';
import { validateTemplate } from '../../../lib/templates/validate';

const require = createRequire(import.meta.url);
const thread = require('../../../lib/templates/thread/supported-helpers.cjs') as {
  supportedHelpers: () => Record<string, unknown>;
  EXCLUDED_HELPERS: Set<string>;
  SUPPORTED_CATEGORIES: string[];
};

describe('the helper names known on save', () => {
  it('are exactly the helpers a render thread registers', () => {
    expect([...LIBRARY_HELPER_NAMES].sort()).toEqual(Object.keys(thread.supportedHelpers()).sort());
    expect([...EXCLUDED_HELPER_NAMES].sort()).toEqual([...thread.EXCLUDED_HELPERS].sort());
    expect([...BUILT_IN_HELPER_NAMES].sort()).toEqual(Object.keys(Handlebars.create().helpers).sort());
  });

  it('name the groups the payload editor lists, in the seeds’ order', () => {
    expect(SUPPORTED_HELPER_GROUPS).toEqual(thread.SUPPORTED_CATEGORIES);
  });
});

describe('validateTemplate refuses calls of helpers Herald does not have (issue 7, item 6a)', () => {
  it.each(['map', 'some', 'sortBy', 'md'])('"%s", with its name, line and column', (name) => {
    const source = `{\n  "tags": {{{JSONstringify (${name} payload.tags "name")}}}\n}`;
    expect(validateTemplate(source, 'payload')).toEqual({
      ok: false,
      message: `Line 2, column 29: "${name}" is not a supported helper (map, some, sortBy, md are not available)`,
      line: 2,
      column: 29,
    });
  });

  it('an unknown name, as a mustache, a block or a sub-expression', () => {
    expect(validateTemplate('{{notAHelper payload.id}}', 'payload')).toEqual({
      ok: false,
      message: 'Line 1, column 3: "notAHelper" is not a supported helper',
      line: 1,
      column: 3,
    });
    expect(validateTemplate('x\n  {{#loop payload.tags}}{{/loop}}', 'payload')).toMatchObject({
      message: 'Line 2, column 6: "loop" is not a supported helper',
    });
    expect(validateTemplate('{{#if (nope 1)}}y{{/if}}', 'payload')).toMatchObject({
      message: 'Line 1, column 8: "nope" is not a supported helper',
    });
    expect(validateTemplate('{{upper name=payload.label}}', 'payload')).toMatchObject({
      message: 'Line 1, column 3: "upper" is not a supported helper',
    });
  });

  it('suggests the spelling of a helper that differs only in case', () => {
    expect(validateTemplate('{{{jsonStringify payload}}}', 'payload')).toMatchObject({
      message: 'Line 1, column 4: "jsonStringify" is not a supported helper (did you mean "JSONstringify"?)',
    });
  });

  it('in URL templates too', () => {
    expect(validateTemplate('https://example.com/{{slugify payload.name}}', 'url')).toMatchObject({
      ok: false,
      message: 'Line 1, column 23: "slugify" is not a supported helper',
    });
  });

  it('a value called with arguments, which Handlebars would call as a function', () => {
    expect(validateTemplate('{{payload.id "x"}}', 'payload')).toMatchObject({
      message: 'Line 1, column 3: "payload.id" is not a helper: only a helper\'s name can be followed by arguments',
    });
    expect(validateTemplate('{{#each payload.tags}}{{this "x"}}{{/each}}', 'payload')).toMatchObject({
      message: expect.stringContaining('"this" is not a helper'),
    });
  });

  it('reports the first one in the template', () => {
    expect(validateTemplate('{{#each (sortBy a)}}{{map b}}{{/each}}', 'payload')).toMatchObject({
      message: expect.stringContaining('"sortBy"'),
    });
  });
});

describe('validateTemplate keeps lookups and block parameters', () => {
  it.each([
    // Lookups without arguments are the event's fields, whatever their names.
    '{{payload.id}} {{name}} {{map}} {{md}} {{sortBy}} {{some.thing}} {{@root.name}} {{this}}',
    '{{#payload}}{{id}}{{/payload}}{{#map}}{{x}}{{/map}}{{^missing}}none{{/missing}}',
    // Block parameters are values, even called with arguments.
    '{{#each payload.tags as |tag index|}}{{tag "x"}}{{index}}{{/each}}',
    // Every supported category, Handlebars' own helpers, and Herald's.
    '{{#if payload.id}}{{uppercase payload.label}}{{else}}{{lookup payload "id"}}{{/if}}',
    '{{#each payload.tags}}{{@index}}{{/each}}{{#with payload}}{{id}}{{/with}}{{log "x"}}',
    '{{{JSONstringify (get "payload.id" this)}}}{{moment "2024" "YYYY"}}{{#markdown}}# x{{/markdown}}',
    '{{add 1 2}}{{addCommas 1000}}{{test "a" (toRegex "a")}}{{encodeURI "a b"}}{{sanitize "<b>"}}',
    '{{#compare 1 "<" 2}}y{{/compare}}{{#isEmpty payload.tags}}e{{/isEmpty}}{{join (split "a,b" ",") "|"}}',
    '{{#withDeliveryContentItem contentItemId=payload.id account="a" stagingEnvironment=""}}{{/withDeliveryContentItem}}',
    '{{"uppercase" "x"}}{{[uppercase] "x"}}',
  ])('%s', (source) => {
    expect(validateTemplate(source, 'payload')).toEqual({ ok: true });
  });

  it('block parameters do not leak out of their block, nor into its {{else}}', () => {
    expect(validateTemplate('{{#each a as |tag|}}{{/each}}{{tag "x"}}', 'payload')).toMatchObject({
      message: expect.stringContaining('"tag" is not a supported helper'),
    });
    expect(validateTemplate('{{#each a as |tag|}}{{else}}{{tag "x"}}{{/each}}', 'payload')).toMatchObject({
      message: expect.stringContaining('"tag" is not a supported helper'),
    });
  });
});
