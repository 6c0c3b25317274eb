'use strict';
/**
 * The handlebars-helpers Herald supports: the categories the seeds list, minus the helpers they
 * exclude. Each category file is required on its own (not the package index), so the categories
 * that read files (fs, path, code) or the environment are never even loaded.
 *
 * Checked by hand for file and environment access (handlebars-helpers 0.10): only `md` (markdown)
 * reads files; `css`/`js` (html) only join strings with path.posix; `date`/`moment` may load one of
 * moment's bundled locale modules, which is code, not user data.
 */

const { hardenPathHelpers } = require('./safe-paths.cjs');

const categories = {
  object: require('handlebars-helpers/lib/object'),
  string: require('handlebars-helpers/lib/string'),
  array: require('handlebars-helpers/lib/array'),
  collection: require('handlebars-helpers/lib/collection'),
  comparison: require('handlebars-helpers/lib/comparison'),
  date: require('handlebars-helpers/lib/date'),
  html: require('handlebars-helpers/lib/html'),
  markdown: require('handlebars-helpers/lib/markdown'),
  math: require('handlebars-helpers/lib/math'),
  misc: require('handlebars-helpers/lib/misc'),
  number: require('handlebars-helpers/lib/number'),
  regex: require('handlebars-helpers/lib/regex'),
  url: require('handlebars-helpers/lib/url'),
};

/** Not supported, as in the seeds: `md` reads files; the others are listed as unsupported. */
const EXCLUDED_HELPERS = new Set(['map', 'some', 'sortBy', 'md']);

/**
 * Every supported helper by name, frozen so no render can add or replace one. Helpers that take
 * a property path read own properties only (safe-paths.cjs).
 */
function supportedHelpers() {
  /** @type {Record<string, import('handlebars').HelperDelegate>} */
  const helpers = Object.create(null);
  for (const group of Object.values(categories)) {
    for (const [name, helper] of Object.entries(group)) {
      if (!EXCLUDED_HELPERS.has(name) && typeof helper === 'function')
        helpers[name] = /** @type {import('handlebars').HelperDelegate} */ (helper);
    }
  }
  return Object.freeze(hardenPathHelpers(helpers));
}

module.exports = { supportedHelpers, SUPPORTED_CATEGORIES: Object.keys(categories), EXCLUDED_HELPERS };
