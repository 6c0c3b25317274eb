import { afterAll, describe, expect, it } from 'vitest';
import { RenderPool } from '../../../lib/templates/render-pool';
import { createRequestRenderer, renderRequest } from '../../../lib/templates/render-request';
import { closeRenderPool, contentItemUpdated, editionUnscheduled, HOOK_URL, renderPayload } from './fixtures';

afterAll(closeRenderPool);

/** A list of `n` items built with the available helpers: handlebars-helpers has no `range`. */
function list(n: number): string {
  return `(split "${'x,'.repeat(n - 1)}x" ",")`;
}

/** Nested {{#each}}: 300^4 = 8.1 billion iterations, minutes of CPU if nothing stopped it. */
const HOSTILE = `{{#each ${list(300)}}}{{#each ${list(300)}}}{{#each ${list(300)}}}{{#each ${list(300)}}}.{{/each}}{{/each}}{{/each}}{{/each}}`;

describe('renderRequest: standard payload', () => {
  it('sends the envelope as JSON to a URL without handlebars', async () => {
    const envelope = contentItemUpdated();
    const result = await renderRequest({ hubId: 'hub', urlTemplate: HOOK_URL, payloadTemplate: null, envelope });
    expect(result).toEqual({ ok: true, url: HOOK_URL, body: JSON.stringify(envelope) });
  });

  it('refuses a URL that is not absolute http(s)', async () => {
    const envelope = contentItemUpdated();
    expect(await renderRequest({ hubId: 'hub', urlTemplate: 'ftp://x/y', payloadTemplate: null, envelope })).toEqual({
      ok: false,
      error: 'The URL "ftp://x/y" is not an absolute http(s) URL',
    });
  });
});

describe('renderRequest: templated URLs', () => {
  const urlTemplate = 'https://example.com/indexes/editions/{{encodeURI payload.id}}';

  it('renders the seeds DELETE URL from the edition id', async () => {
    const result = await renderRequest({
      hubId: 'hub',
      urlTemplate,
      payloadTemplate: null,
      envelope: editionUnscheduled(),
    });
    expect(result).toEqual({
      ok: true,
      url: 'https://example.com/indexes/editions/5ddeb27d4cedfd0001c66dee',
      body: JSON.stringify(editionUnscheduled()),
    });
  });

  it('URL-encodes a value with a space and a slash', async () => {
    const envelope = editionUnscheduled('spring sale/2024 & more?');
    const result = await renderRequest({ hubId: 'hub', urlTemplate, payloadTemplate: null, envelope });
    expect(result).toMatchObject({
      ok: true,
      url: 'https://example.com/indexes/editions/spring%20sale%2F2024%20%26%20more%3F',
    });
  });

  it('does not HTML-escape URL output', async () => {
    const result = await renderRequest({
      hubId: 'hub',
      urlTemplate: 'https://example.com/search?q={{payload.name}}&by={{resource}}',
      payloadTemplate: null,
      envelope: editionUnscheduled(),
    });
    expect(result).toMatchObject({
      ok: true,
      url: 'https://example.com/search?q=November Launch edition&by=5cf679244cedfd000109d2ef',
    });
  });

  it('fails clearly when the URL does not render to an absolute http(s) URL', async () => {
    const result = await renderRequest({
      hubId: 'hub',
      urlTemplate: '{{payload.name}}/x',
      payloadTemplate: null,
      envelope: editionUnscheduled(),
    });
    expect(result).toEqual({
      ok: false,
      error: 'The URL template rendered to "November Launch edition/x" which is not an absolute http(s) URL',
    });
  });

  it('renders URL and custom payload together', async () => {
    const result = await renderRequest({
      hubId: 'hub',
      urlTemplate,
      payloadTemplate: '{"objectID":"{{payload.id}}"}',
      envelope: editionUnscheduled(),
    });
    expect(result).toEqual({
      ok: true,
      url: 'https://example.com/indexes/editions/5ddeb27d4cedfd0001c66dee',
      body: '{"objectID":"5ddeb27d4cedfd0001c66dee"}',
    });
  });
});

describe('renderRequest: custom payload limits', () => {
  it('renders the envelope as context', async () => {
    expect(await renderPayload('{"id":"{{payload.id}}","event":"{{name}}","seq":{{sequenceId}} }')).toBe(
      '{"id":"02a6c85b-a27f-491a-9983-41b4f4638782","event":"dynamic-content.content-item.updated","seq":1 }',
    );
  });

  it('refuses an invalid template with its position', async () => {
    await expect(renderPayload('{\n "id": {{payload.id}\n}')).rejects.toThrow(
      "The custom payload is invalid: Line 2, column 20: expected '}}' but found '}'",
    );
  });

  it('refuses a template over 5 KB before rendering it', async () => {
    await expect(renderPayload(`{{payload.id}}${' '.repeat(6 * 1024)}`)).rejects.toThrow(
      /^The custom payload template is 6\.0 KB; the limit is 5 KB$/,
    );
  });

  it('accepts output of exactly 200 KB and fails above it, naming both sizes', async () => {
    // center pads both sides with n × "&nbsp;": 204,800 bytes = "x" + 2 × 17,066 × 6 + 7 × "y"
    expect((await renderPayload('{{{center "x" 17066}}}yyyyyyy')).length).toBe(204_800);
    await expect(renderPayload('{{{center "x" 27000}}}')).rejects.toThrow(
      'The custom payload rendered to 316.4 KB; the limit is 200 KB',
    );
    await expect(renderPayload('{{{center "x" 17066}}}yyyyyyyy')).rejects.toThrow(
      'The custom payload rendered to 204,801 bytes; the limit is 204,800 bytes (200 KB)',
    );
  });

  it('reports a runtime error with its position', async () => {
    await expect(renderPayload('ok\n  {{#raw}}{{/raw}}{{withHash}}')).rejects.toThrow(
      /^The custom payload could not be rendered: /,
    );
  });
});

describe('renderRequest: hostile templates', () => {
  it('stops a render that would run for minutes, and the next render proceeds', async () => {
    const render = createRequestRenderer();
    const envelope = contentItemUpdated();
    const started = Date.now();
    const [hostile, next] = await Promise.all([
      render({ hubId: 'hub', urlTemplate: HOOK_URL, payloadTemplate: HOSTILE, envelope }),
      render({ hubId: 'hub', urlTemplate: HOOK_URL, payloadTemplate: '{{payload.id}}', envelope }),
    ]);
    expect(hostile).toEqual({ ok: false, error: 'render timed out after 1000 ms' });
    expect(next).toEqual({ ok: true, url: HOOK_URL, body: '02a6c85b-a27f-491a-9983-41b4f4638782' });
    expect(Date.now() - started).toBeLessThan(10_000);

    const after = await render({ hubId: 'hub', urlTemplate: HOOK_URL, payloadTemplate: '{{name}}', envelope });
    expect(after).toEqual({ ok: true, url: HOOK_URL, body: 'dynamic-content.content-item.updated' });
  });

  it('times out every hostile render while normal ones keep succeeding on the same pool', async () => {
    const envelope = contentItemUpdated();
    const hostile = () => renderRequest({ hubId: 'hub', urlTemplate: HOOK_URL, payloadTemplate: HOSTILE, envelope });
    const normal = () =>
      renderRequest({ hubId: 'hub', urlTemplate: HOOK_URL, payloadTemplate: '{{resource}}', envelope });
    const results = await Promise.all([hostile(), normal(), hostile(), normal(), normal()]);
    expect(results.map((result) => (result.ok ? result.body : result.error))).toEqual([
      'render timed out after 1000 ms',
      '5cf679244cedfd000109d2ef',
      'render timed out after 1000 ms',
      '5cf679244cedfd000109d2ef',
      '5cf679244cedfd000109d2ef',
    ]);
  });

  it('a thread that runs out of memory fails its render and is replaced', async () => {
    // A small heap and a long time limit, so memory (not time) is what stops this render.
    const pool = new RenderPool({ size: 1, timeoutMs: 60_000, maxOldGenerationSizeMb: 16 });
    const render = createRequestRenderer({ pool: () => pool });
    const envelope = contentItemUpdated();
    const greedy = `{{#each ${list(300)}}}{{#each ${list(300)}}}{{#each ${list(300)}}}{{@index}}{{/each}}{{/each}}{{/each}}`;
    try {
      expect(await render({ hubId: 'hub', urlTemplate: HOOK_URL, payloadTemplate: greedy, envelope })).toEqual({
        ok: false,
        error: 'render ran out of memory',
      });
      expect(
        await render({ hubId: 'hub', urlTemplate: HOOK_URL, payloadTemplate: '{{sequenceId}}', envelope }),
      ).toEqual({
        ok: true,
        url: HOOK_URL,
        body: '1',
      });
    } finally {
      await pool.close();
    }
  });
});
