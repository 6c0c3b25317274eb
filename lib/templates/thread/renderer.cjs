'use strict';
/**
 * The handlebars environment of one render thread: built once, then frozen. Each render gets
 * handlebars' own per-invocation copy of the helper table (plus its withDeliveryContentItem
 * results), no partials and no decorators, so nothing one webhook's template does can reach
 * another's. Compiled templates are cached (LRU) by their source.
 */

const Handlebars = require('handlebars');
const { supportedHelpers } = require('./supported-helpers.cjs');
const { createContentItemHelper } = require('./content-item-helper.cjs');
const { changedPaths } = require('./changed-paths.cjs');

const CACHE_SIZE = 500;

/**
 * One job as lib/templates/render-job.ts sends it.
 * `previous`: the previous payload of the event's key as JSON text, when the templates use it.
 * @typedef {{ templates: { kind: 'url' | 'payload', source: string }[], context: object | string,
 *   contents: [string, string | null][], maxOutputBytes: number, previous?: string | null }} RenderJob
 */

/**
 * Adds `previous` (the previous payload of the event's key) and `changes` (the payload's paths
 * whose values differ from it) to a context. Both stay absent when there is no previous payload.
 * @param {unknown} context
 * @param {string} previousJson
 */
function addPrevious(context, previousJson) {
  if (context === null || typeof context !== 'object' || Array.isArray(context)) return;
  let previous;
  try {
    previous = JSON.parse(previousJson);
  } catch {
    return;
  }
  const target = /** @type {Record<string, unknown>} */ (context);
  target.previous = previous;
  target.changes = changedPaths(previous, target.payload);
}

function createEnvironment() {
  const env = Handlebars.create();
  env.registerHelper(supportedHelpers());
  // `inline` is the decorator behind {{#*inline}} partials; partials are not supported.
  env.unregisterDecorator('inline');
  Object.freeze(env.helpers);
  Object.freeze(env.partials);
  Object.freeze(env.decorators);
  return env;
}

function createRenderer() {
  const env = createEnvironment();
  /** @type {Map<string, Function>} insertion order is recency: a hit is moved to the end */
  const cache = new Map();

  /**
   * @param {'url' | 'payload'} kind
   * @param {string} source
   */
  function compiled(kind, source) {
    // The Map hashes the source string; a URL template is compiled without HTML escaping.
    const key = `${kind}\u0000${source}`;
    let template = cache.get(key);
    if (template) {
      cache.delete(key);
    } else {
      template = env.compile(source, { noEscape: kind === 'url', data: true });
      const oldest = cache.keys().next().value;
      if (cache.size >= CACHE_SIZE && oldest !== undefined) cache.delete(oldest);
    }
    cache.set(key, template);
    return template;
  }

  /**
   * @param {RenderJob} job
   */
  function render(job) {
    const helpers = { withDeliveryContentItem: createContentItemHelper(new Map(job.contents)) };
    const outputs = [];
    let context;
    try {
      context = typeof job.context === 'string' ? JSON.parse(job.context) : job.context;
    } catch {
      return {
        ok: false,
        kind: job.templates[0]?.kind ?? 'payload',
        reason: 'error',
        message: 'the event is not valid JSON',
      };
    }
    if (typeof job.previous === 'string') addPrevious(context, job.previous);
    for (const { kind, source } of job.templates) {
      let output;
      try {
        output = compiled(kind, source)(context, { helpers, partials: {}, decorators: {} });
      } catch (error) {
        return { ok: false, kind, reason: 'error', ...describeError(error) };
      }
      const bytes = Buffer.byteLength(output, 'utf8');
      if (bytes > job.maxOutputBytes) return { ok: false, kind, reason: 'too-large', bytes };
      outputs.push(output);
    }
    return { ok: true, outputs };
  }

  return { render };
}

/**
 * Handlebars exceptions carry the template position; other errors only their message.
 * @param {unknown} thrown
 */
function describeError(thrown) {
  if (!(thrown instanceof Error)) return { message: String(thrown) };
  const error = /** @type {Error & { lineNumber?: unknown, column?: unknown }} */ (thrown);
  if (typeof error.lineNumber !== 'number' || typeof error.column !== 'number') return { message: error.message };
  // Handlebars appends " - line:column" to the message; the caller words the position itself.
  const message = error.message.replace(/ - \d+:\d+$/, '');
  return { message, line: error.lineNumber, column: error.column + 1 };
}

/** @typedef {ReturnType<typeof createRenderer>} Renderer */

module.exports = { createRenderer };
