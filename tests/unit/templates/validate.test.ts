import { describe, expect, it } from 'vitest';
import { MAX_TEMPLATE_BYTES } from '../../../lib/templates/limits';
import { validateTemplate } from '../../../lib/templates/validate';

describe('validateTemplate', () => {
  it('accepts a JSON-ish payload template', () => {
    expect(validateTemplate('{ "id": "{{payload.id}}", "x": {{{JSONstringify payload}}} }', 'payload')).toEqual({
      ok: true,
    });
    expect(validateTemplate('https://example.com/indexes/{{encodeURI payload.id}}', 'url')).toEqual({ ok: true });
  });

  it('validates only the template, never what it would produce', () => {
    expect(validateTemplate('not json at all {{payload.id}', 'payload').ok).toBe(false);
    expect(validateTemplate('not json at all {{payload.id}}', 'payload')).toEqual({ ok: true });
  });

  it('accepts exactly 5 KB and refuses one byte more, naming both sizes', () => {
    expect(validateTemplate('a'.repeat(MAX_TEMPLATE_BYTES), 'payload')).toEqual({ ok: true });
    const tooBig = validateTemplate('{{payload.id}}'.padEnd(6 * 1024 + 300, 'x'), 'payload');
    expect(tooBig).toEqual({ ok: false, message: 'The custom payload template is 6.3 KB; the limit is 5 KB' });
  });

  it('counts UTF-8 bytes, not characters', () => {
    const result = validateTemplate('é'.repeat(MAX_TEMPLATE_BYTES / 2 + 1), 'payload');
    expect(result).toEqual({
      ok: false,
      message: 'The custom payload template is 5,122 bytes; the limit is 5,120 bytes (5 KB)',
    });
  });

  it('names the line and column of a syntax error in a sentence', () => {
    expect(validateTemplate('{\n  "id": "{{payload.id}}",\n  "x": "{{foo}"\n}', 'payload')).toEqual({
      ok: false,
      message: "Line 3, column 14: expected '}}' but found '}'",
      line: 3,
      column: 14,
    });
    expect(validateTemplate('{\n  "a": "{{payload.id', 'payload')).toMatchObject({
      ok: false,
      message: "Line 2, column 19: expected '}}' but found the end of the template",
    });
    expect(validateTemplate('{"seq":{{sequenceId}}}', 'payload')).toMatchObject({
      message: "Line 1, column 20: expected '}}' but found '}}}' (add a space before a '}' that follows '}}')",
    });
  });

  it('explains unclosed and mismatched blocks', () => {
    expect(validateTemplate('{{#if payload.id}}\nyes', 'payload')).toMatchObject({
      ok: false,
      line: 2,
      message: expect.stringMatching(/^Line 2, column 4: a block is never closed/),
    });
    expect(validateTemplate('x\n  {{#if a}}{{/each}}', 'payload')).toEqual({
      ok: false,
      message: 'Line 2, column 6: {{#if}} is closed by {{/each}}',
      line: 2,
      column: 6,
    });
  });

  it('refuses partials, partial blocks, inline partials and decorators', () => {
    for (const source of ['{{> header}}', '{{#> layout}}x{{/layout}}', '{{#*inline "x"}}y{{/inline}}', '{{* deco}}']) {
      const result = validateTemplate(`ok\n${source}`, 'payload');
      expect(result).toMatchObject({ ok: false, line: 2, column: 1 });
      expect(result.ok === false && result.message).toMatch(/^Line 2, column 1: (partials|decorators)/);
    }
  });

  it('refuses withDeliveryContentItem used as a plain mustache', () => {
    expect(validateTemplate('{{withDeliveryContentItem contentItemId=payload.id}}', 'payload')).toMatchObject({
      ok: false,
      message: expect.stringContaining('withDeliveryContentItem is a block helper'),
    });
  });

  it('names the URL template in URL messages', () => {
    expect(validateTemplate('x'.repeat(6000), 'url')).toMatchObject({
      message: expect.stringMatching(/^The URL template is/),
    });
  });
});
