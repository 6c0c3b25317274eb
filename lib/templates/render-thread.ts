import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Why the thread entry is a plain .cjs file found from process.cwd(): the same code runs under
 * tsx (worker, scripts), Vitest, and a Next.js production server whose server code is bundled.
 * A bundler would rewrite or break a path relative to this module (import.meta.url points into
 * .next/ after `next build`), and a .ts entry would need a TypeScript loader inside the thread.
 * A CommonJS file loaded by absolute path at runtime sidesteps both: Node runs it as is, and it
 * requires handlebars and handlebars-helpers from node_modules itself (they never get bundled).
 * Herald runs from its project directory (npm start / web / worker), which is where it looks.
 */
export const RENDER_THREAD_FILE = path.join(process.cwd(), 'lib', 'templates', 'thread', 'render-thread.cjs');

/** One render thread, with a heap limit, no environment, and not keeping the process alive. */
export function startRenderThread(file: string, maxOldGenerationSizeMb = 128): Worker {
  const worker = new Worker(file, {
    execArgv: [],
    // Templates must not reach Herald's environment (secrets, database URL): the thread gets none.
    env: {},
    resourceLimits: { maxOldGenerationSizeMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
  });
  worker.unref();
  return worker;
}
