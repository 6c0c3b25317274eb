'use strict';
/**
 * `{{#withDeliveryContentItem contentItemId account stagingEnvironment [locale] [snapshotId] [mediaHost]}}`
 *
 * Never does I/O: the caller found every call before rendering (lib/templates/content-calls.ts),
 * fetched the items in parallel, and sent them with the render job, keyed by `contentCallKey`.
 * That key MUST stay identical to `contentCallKey` in lib/templates/content-calls.ts.
 */

/**
 * What handlebars passes a block helper last.
 * @typedef {{ fn: (context: unknown) => string, inverse: (context: unknown) => string,
 *   hash?: Record<string, unknown>, data?: { root?: unknown } }} HelperOptions
 */

const PARAM_NAMES = ['contentItemId', 'account', 'stagingEnvironment', 'locale', 'snapshotId', 'mediaHost'];

/**
 * Arguments are strings; numbers and booleans are spelled out; anything else counts as absent.
 * @param {unknown} value
 * @returns {string}
 */
function toParam(value) {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** @param {Record<string, string>} params */
function contentCallKey(params) {
  return JSON.stringify(PARAM_NAMES.map((name) => params[name] ?? ''));
}

/**
 * The seeds' examples leave `contentItemId` out: then the item the event is about is meant.
 * @param {unknown} root
 */
function defaultContentItemId(root) {
  const payload = root && typeof root === 'object' && 'payload' in root ? root.payload : undefined;
  return payload && typeof payload === 'object' && 'id' in payload ? toParam(payload.id) : '';
}

/**
 * @param {Map<string, string | null>} contents fetched items as JSON text (`null` when not found)
 *   by call key; each is parsed the first time the render reaches its call.
 */
function createContentItemHelper(contents) {
  /** @type {Map<string, unknown>} */
  const parsed = new Map();
  /**
   * @this {unknown}
   * @param {unknown[]} args
   */
  return function withDeliveryContentItem(...args) {
    const options = /** @type {HelperOptions | undefined} */ (args.pop());
    if (!options || typeof options.fn !== 'function') {
      throw new Error(
        'withDeliveryContentItem is a block helper: {{#withDeliveryContentItem …}}…{{/withDeliveryContentItem}}',
      );
    }
    const hash = options.hash || {};
    /** @type {Record<string, string>} */
    const params = {};
    PARAM_NAMES.forEach((name, index) => {
      params[name] = toParam(Object.hasOwn(hash, name) ? hash[name] : args[index]);
    });
    if (!Object.hasOwn(hash, 'contentItemId') && args.length === 0) {
      params.contentItemId = defaultContentItemId(options.data?.root);
    }
    if (params.contentItemId === '') return options.inverse(this);

    const key = contentCallKey(params);
    if (!contents.has(key)) {
      throw new Error(
        `withDeliveryContentItem could not fetch content item "${params.contentItemId}" before rendering: ` +
          'its arguments must be text or values from the event (for example contentItemId=payload.id)',
      );
    }
    const text = contents.get(key);
    if (text == null) return options.inverse(this);
    if (!parsed.has(key)) parsed.set(key, JSON.parse(text));
    return options.fn(parsed.get(key));
  };
}

module.exports = { createContentItemHelper, contentCallKey, PARAM_NAMES };
