'use strict';
/**
 * `changes` in a template's context: the paths of the payload whose values differ from the
 * previous event of its key (`previous`), in dot form (`body.slug`, `body.tags.1`). Computed in the
 * render thread, beside the render it is for, so the delivery worker never parses either payload.
 *
 * Leaves are compared; an added or removed field, or one whose type changed (object to string,
 * array to object), is listed once at its own path rather than leaf by leaf. Bounded: at most
 * MAX_CHANGES paths, and at most MAX_COMPARED values visited; where the visit budget runs out,
 * the path being compared is listed as changed and the comparison ends (a template then sees a
 * parent path where it might have seen a deeper one, never a change missed at that point).
 */

const MAX_CHANGES = 100;
const MAX_COMPARED = 50_000;

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isRecord(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * @param {unknown} before
 * @param {unknown} after
 * @param {{ maxChanges?: number, maxCompared?: number }} [limits]
 * @returns {string[]}
 */
function changedPaths(before, after, limits = {}) {
  const maxChanges = limits.maxChanges ?? MAX_CHANGES;
  let budget = limits.maxCompared ?? MAX_COMPARED;
  /** @type {string[]} */
  const changes = [];
  let done = false;

  /** @param {string} path */
  const add = (path) => {
    changes.push(path);
    if (changes.length >= maxChanges) done = true;
  };
  /** @param {string} path @param {string} part */
  const join = (path, part) => (path === '' ? part : `${path}.${part}`);

  /**
   * @param {unknown} a
   * @param {unknown} b
   * @param {string} path
   */
  function walk(a, b, path) {
    if (done) return;
    if (--budget < 0) {
      // Out of budget: say where the comparison stopped, then stop.
      if (path !== '') add(path);
      done = true;
      return;
    }
    if (a === b) return;
    if (Array.isArray(a) && Array.isArray(b)) {
      const length = Math.max(a.length, b.length);
      for (let i = 0; i < length && !done; i++) {
        if (i >= a.length || i >= b.length) add(join(path, String(i)));
        else walk(a[i], b[i], join(path, String(i)));
      }
      return;
    }
    if (isRecord(a) && isRecord(b)) {
      for (const key of Object.keys(b)) {
        if (done) return;
        if (!Object.hasOwn(a, key)) add(join(path, key));
        else walk(a[key], b[key], join(path, key));
      }
      for (const key of Object.keys(a)) {
        if (done) return;
        if (!Object.hasOwn(b, key)) add(join(path, key));
      }
      return;
    }
    // Different primitives, or different kinds of value.
    if (path !== '') add(path);
  }

  walk(before, after, '');
  return changes;
}

module.exports = { changedPaths, MAX_CHANGES, MAX_COMPARED };
