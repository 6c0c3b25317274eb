'use strict';
/**
 * Entry of a render thread (worker_threads), started by lib/templates/render-pool.ts.
 *
 * Plain CommonJS on purpose: it runs unchanged under tsx, Vitest and a `next build` production
 * server, because it is loaded by an absolute path at runtime and never goes through a bundler
 * or a TypeScript loader. handlebars and handlebars-helpers (heavy: moment, remarkable,
 * highlight.js …) are loaded here only, never on the caller's event loop.
 *
 * Protocol: the thread posts { type: 'ready' } once loaded, then answers each job of a
 * { jobs: [{ id, job }] } message with its own { id, result } (see renderer.cjs for both).
 */

const { parentPort } = require('node:worker_threads');

if (!parentPort) throw new Error('render-thread.cjs runs only as a worker thread');
const port = parentPort;

// Templates can reach `log` and moment's warnings; a hostile loop must not flood the parent's stderr.
for (const method of /** @type {const} */ (['log', 'info', 'warn', 'error', 'debug', 'trace']))
  console[method] = () => {};

const { createRenderer } = require('./renderer.cjs');

const renderer = createRenderer();
warmUp(renderer);
freezeIntrinsics();

// Jobs come in batches; each result goes back as soon as it is ready, so the pool always knows
// which job is running (its time limit starts when the previous result arrives).
port.on('message', (/** @type {{ jobs: { id: number, job: import('./renderer.cjs').RenderJob }[] }} */ message) => {
  for (const { id, job } of message.jobs) port.postMessage({ id, result: renderer.render(job) });
});
port.postMessage({ type: 'ready' });

/**
 * Loads what helpers load lazily (markdown, moment's locale) so a first render is not slower.
 * @param {import('./renderer.cjs').Renderer} target
 */
function warmUp(target) {
  target.render({
    templates: [{ kind: 'payload', source: '{{#markdown}}# a{{/markdown}}{{moment "2024-01-01" "YYYY"}}' }],
    context: {},
    contents: [],
    maxOutputBytes: 1024,
  });
}

/**
 * A render thread serves many webhooks in turn; freezing the shared prototypes (after every
 * module is loaded) means no helper bug can let one template plant a property that another
 * template's render would see (prototype pollution).
 */
function freezeIntrinsics() {
  for (const intrinsic of [Object, Array, Function, String, Number, Boolean, RegExp, Date, Map, Set, Promise]) {
    Object.freeze(intrinsic.prototype);
  }
}
