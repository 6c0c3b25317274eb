import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { closeRenderPool, contentItemUpdated, renderPayload } from './fixtures';

const require = createRequire(import.meta.url);
const { createRenderer } = require('../../../lib/templates/thread/renderer.cjs') as {
  createRenderer: () => { render: (job: unknown) => unknown };
};

afterAll(closeRenderPool);

function withTags(): Record<string, unknown> {
  const envelope = contentItemUpdated();
  (envelope.payload as Record<string, unknown>).tags = [
    { name: 'winter', rank: 2 },
    { name: 'sale', rank: 1 },
  ];
  return envelope;
}

describe('supported helper categories (one representative each)', () => {
  const cases: Array<[category: string, template: string, expected: string]> = [
    ['object', '{{get "payload.body.headline" this}}', 'Winter sale now on!'],
    ['string', '{{uppercase payload.label}}', 'WINTER SALE BANNER'],
    ['array', '{{join (pluck payload.tags "name") "|"}}', 'winter|sale'],
    ['collection', '{{#isEmpty payload.tags}}empty{{else}}not empty{{/isEmpty}}', 'not empty'],
    ['comparison', '{{#compare payload.version ">" 3}}newer{{/compare}}', 'newer'],
    ['date', '{{moment "2024-05-08T08:58:49.011Z" "YYYY"}}', '2024'],
    ['html', '{{sanitize "<b>Winter</b> sale"}}', 'Winter sale'],
    ['markdown', '{{#markdown}}# {{payload.label}}{{/markdown}}', '<h1>Winter sale banner</h1>\n'],
    ['math', '{{add payload.version 1}}', '5'],
    ['misc', '{{#withHash greeting="hello"}}{{greeting}}{{/withHash}}', 'hello'],
    ['number', '{{addCommas 1234567}}', '1,234,567'],
    ['regex', '{{#if (test payload.label (toRegex "sale"))}}matches{{/if}}', 'matches'],
    ['url', '{{encodeURI "a b/c"}}', 'a%20b%2Fc'],
  ];
  it.each(cases)('%s: %s', async (_category, template, expected) => {
    expect(await renderPayload(template, withTags())).toBe(expected);
  });
});

describe('unsupported helpers', () => {
  it.each(['map', 'some', 'sortBy', 'md'])(
    '%s is refused before rendering, and absent from the threads',
    async (name) => {
      await expect(renderPayload(`{{${name} payload.tags "name"}}`, withTags())).rejects.toThrow(
        `The custom payload is invalid: Line 1, column 3: "${name}" is not a supported helper`,
      );
      const rendered = createRenderer().render({
        templates: [{ kind: 'payload', source: `{{${name} payload.tags "name"}}` }],
        context: withTags(),
        contents: [],
        maxOutputBytes: 1024,
      });
      expect(rendered).toMatchObject({ ok: false, message: `Missing helper: "${name}"` });
    },
  );

  it.each(['read', 'readdir', 'embed', 'fileSize', 'resolve', 'log2', 'gist'])(
    'helpers that read files (%s) are not loaded',
    async (name) => {
      await expect(renderPayload(`{{${name} "package.json"}}`)).rejects.toThrow(`"${name}" is not a supported helper`);
    },
  );

  it('partials are refused before rendering', async () => {
    await expect(renderPayload('{{> secrets}}')).rejects.toThrow(
      /The custom payload is invalid: Line 1, column 1: partials/,
    );
    await expect(renderPayload('{{#*inline "x"}}y{{/inline}}{{> x}}')).rejects.toThrow(/decorators/);
  });

  it('templates cannot reach prototypes or the environment', async () => {
    expect(
      await renderPayload(
        '{{lookup payload "constructor"}}|{{payload.__proto__}}|{{#with payload}}{{constructor.name}}{{/with}}',
      ),
    ).toBe('||');
    expect(await renderPayload('{{@root.process.env.DATABASE_URL}}{{process.env.HOME}}')).toBe('');
  });
});

describe('handlebars features used in payloads', () => {
  it('JSONstringify is compact by default and takes an indent', async () => {
    const envelope = withTags();
    expect(await renderPayload('{{{JSONstringify payload.tags}}}', envelope)).toBe(
      '[{"name":"winter","rank":2},{"name":"sale","rank":1}]',
    );
    expect(await renderPayload('{{{JSONstringify payload.tags 2}}}', envelope)).toBe(
      JSON.stringify((envelope.payload as { tags: unknown }).tags, null, 2),
    );
    expect(await renderPayload('{{JSONstringify payload.label}}')).toBe('&quot;Winter sale banner&quot;');
  });

  it('whitespace control trims around ~', async () => {
    const template = '[\n  {{~#each payload.tags~}}\n    "{{name}}"{{#unless @last}},{{/unless}}\n  {{~/each~}}\n]';
    expect(await renderPayload(template, withTags())).toBe('["winter","sale"]');
  });

  it('@last, @index and @first in each', async () => {
    const template =
      '{{#each payload.tags}}{{#if @first}}<{{/if}}{{@index}}:{{name}}{{#if @last}}>{{else}},{{/if}}{{/each}}';
    expect(await renderPayload(template, withTags())).toBe('<0:winter,1:sale>');
  });

  it('first, pluck, eq and truncate', async () => {
    const envelope = withTags();
    expect(await renderPayload('{{#with (first payload.tags)}}{{name}}{{/with}}', envelope)).toBe('winter');
    expect(await renderPayload('{{first (pluck payload.tags "name") 2}}', envelope)).toBe('winter,sale');
    expect(await renderPayload('{{#eq payload.status "ACTIVE"}}active{{else}}inactive{{/eq}}', envelope)).toBe(
      'active',
    );
    expect(await renderPayload('{{eq payload.status "ARCHIVED"}}', envelope)).toBe('false');
    expect(await renderPayload('{{truncate payload.body.headline 6}}', envelope)).toBe('Winter');
    expect(await renderPayload('{{truncate payload.body.headline 10 "…"}}', envelope)).toBe('Winter sa…');
  });

  it('multi-line helper calls with odd whitespace inside the mustache', async () => {
    const template = [
      '{{#   eq',
      '      payload.status',
      '\t"ACTIVE"   }}{{',
      '  truncate',
      '',
      '     payload.body.headline\t',
      '   6',
      '}}{{/eq}}|{{{',
      '  JSONstringify   (pluck',
      '     payload.tags  "rank" )',
      '}}}',
    ].join('\n');
    expect(await renderPayload(template, withTags())).toBe('Winter|[2,1]');
  });

  it('escapes {{ }} for HTML and leaves {{{ }}} raw, as handlebars does', async () => {
    const envelope = contentItemUpdated();
    (envelope.payload as Record<string, unknown>).label = 'Tom & "Jerry"';
    expect(await renderPayload('{{payload.label}}|{{{payload.label}}}', envelope)).toBe(
      'Tom &amp; &quot;Jerry&quot;|Tom & "Jerry"',
    );
  });
});
