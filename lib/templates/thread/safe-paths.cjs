'use strict';
/**
 * Property paths in helper arguments (`{{get "a.b" this}}`, `{{pluck items "a.b"}}` …) reach only
 * the data itself. handlebars-helpers resolves them with get-value / get-object, which follow
 * inherited properties: `{{get "constructor.constructor" this}}` returns the Function constructor,
 * the first step of every template-to-code escape. Handlebars' own lookups already refuse the
 * prototype chain; these helpers bypassed that.
 *
 * Rule: a path walks own properties only, and a segment named __proto__, constructor or prototype
 * gives nothing, even as an own key (such keys are never needed to read event data, and refusing
 * them by name keeps the rule obvious). The event is JSON, so own properties never hold functions.
 */

const Utils = require('handlebars-helpers/lib/utils');
const hasValues = require('has-values');
const util = require('handlebars-utils');

const BLOCKED = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * @param {unknown} value
 * @returns {value is object}
 */
function isObjectLike(value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function');
}

/**
 * @param {unknown} target
 * @param {string} key
 * @returns {unknown}
 */
function ownValue(target, key) {
  if (!isObjectLike(target) || BLOCKED.has(key) || !Object.hasOwn(target, key)) return undefined;
  return /** @type {Record<string, unknown>} */ (target)[key];
}

/** @param {unknown} prop */
function pathString(prop) {
  if (Array.isArray(prop)) return prop.join('.');
  return prop ? String(prop) : '';
}

/**
 * get-value 2.0 semantics (a whole key first, then `a.b.c` with `\.` escapes), own properties only.
 * @param {unknown} target
 * @param {unknown} prop
 * @returns {unknown}
 */
function safeGet(target, prop) {
  const path = pathString(prop);
  if (!isObjectLike(target) || path === '') return target;
  if (!BLOCKED.has(path) && Object.hasOwn(target, path)) return /** @type {Record<string, unknown>} */ (target)[path];
  const segments = path.split('.');
  /** @type {unknown} */
  let current = target;
  for (let i = 0; i < segments.length; i++) {
    let key = segments[i] ?? '';
    while (key.endsWith('\\') && i + 1 < segments.length) key = `${key.slice(0, -1)}.${segments[++i]}`;
    current = ownValue(current, key);
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * get-object 0.2 semantics (`a.b` or `a[0]` → `{ b: value }`, `{}` when absent), own properties only.
 * @param {unknown} target
 * @param {unknown} prop
 * @returns {unknown}
 */
function safeGetObject(target, prop) {
  if (!prop) return target;
  if (!target) return {};
  const segments = String(prop)
    .split(/[[.\]]/)
    .filter(Boolean);
  const last = segments[segments.length - 1] ?? '';
  /** @type {unknown} */
  let current = target;
  for (const key of segments) {
    current = ownValue(current, key);
    if (!current) return {};
  }
  if (/^\d+$/.test(last)) return [current];
  return { [last]: current };
}

/**
 * Routes every path helper through the safe lookups: `get`, `getObject`, `pick`, `pluck`,
 * `option`, `filter` (property=) and `withSort` read paths through handlebars-helpers' shared
 * utils object (its entries are configurable lazy getters); `has` uses has-value, so its path
 * form is wrapped. tests/unit/templates/prototype-paths.test.ts checks each of them.
 * @param {Record<string, import('handlebars').HelperDelegate>} helpers
 */
function hardenPathHelpers(helpers) {
  Object.defineProperty(Utils, 'get', { value: safeGet, configurable: false, writable: false });
  Object.defineProperty(Utils, 'getObject', { value: safeGetObject, configurable: false, writable: false });
  /** @type {Function | undefined} */
  const has = helpers.has;
  if (typeof has === 'function') {
    /**
     * @this {unknown}
     * @param {unknown[]} args
     */
    helpers.has = function safeHas(...args) {
      // `{{has "a.b"}}`: is there a value at this path of the context?
      const [path, options] = args;
      if (args.length === 2 && util.isOptions(options)) {
        return util.value(hasValues(safeGet(this, path)), this, options);
      }
      return has.apply(this, args);
    };
  }
  return helpers;
}

module.exports = { hardenPathHelpers, safeGet, safeGetObject, BLOCKED_PATH_SEGMENTS: BLOCKED };
