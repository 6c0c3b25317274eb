import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TemplateKind } from './limits';

/**
 * A small pool of worker_threads that render templates off the caller's event loop. Each thread
 * renders one job at a time under a time limit and a heap limit: a job that runs too long gets
 * its thread terminated (V8 stops even a tight loop), a thread that runs out of memory dies on
 * its own; either way the job fails, the thread is replaced, and the next job proceeds.
 *
 * Why the thread entry is a plain .cjs file found from process.cwd(): the same code runs under
 * tsx (worker, scripts), Vitest, and a Next.js production server whose server code is bundled.
 * A bundler would rewrite or break a path relative to this module (import.meta.url points into
 * .next/ after `next build`), and a .ts entry would need a TypeScript loader inside the thread.
 * A CommonJS file loaded by absolute path at runtime sidesteps both: Node runs it as is, and it
 * requires handlebars and handlebars-helpers from node_modules itself (they never get bundled).
 * Herald runs from its project directory (npm start / web / worker), which is where it looks.
 */
const PIPELINE_DEPTH = 8;

export const RENDER_THREAD_FILE = path.join(process.cwd(), 'lib', 'templates', 'thread', 'render-thread.cjs');

export interface RenderJob {
  templates: Array<{ kind: TemplateKind; source: string }>;
  /** The template context, or its JSON text (parsed in the thread: cheaper than a structured clone). */
  context: Record<string, unknown> | string;
  /** withDeliveryContentItem results by call key; `null` for an item that does not exist. */
  contents: Array<[string, unknown]>;
  maxOutputBytes: number;
}

export type RenderJobResult =
  | { ok: true; outputs: string[] }
  | { ok: false; reason: 'error'; kind: TemplateKind; message: string; line?: number; column?: number }
  | { ok: false; reason: 'too-large'; kind: TemplateKind; bytes: number }
  | { ok: false; reason: 'timeout' | 'out-of-memory' | 'crashed'; message: string };

export interface RenderPoolOptions {
  size?: number;
  timeoutMs: number;
  maxOldGenerationSizeMb?: number;
  threadFile?: string;
  /** Loading handlebars-helpers takes a few hundred ms; this bounds a thread that never gets ready. */
  startTimeoutMs?: number;
}

interface Pending {
  id: number;
  job: RenderJob;
  resolve: (result: RenderJobResult) => void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Jobs posted to the thread, in order; the first is rendering, the rest wait in its port. */
  inFlight: Pending[];
  /** Keeps the process alive while a thread starts with jobs waiting, and bounds the start. */
  startTimer?: NodeJS.Timeout;
}

export class RenderPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly size: number;
  private readonly threadFile: string;

  constructor(private readonly options: RenderPoolOptions) {
    this.size = options.size ?? 2;
    this.threadFile = options.threadFile ?? RENDER_THREAD_FILE;
  }

  run(job: RenderJob): Promise<RenderJobResult> {
    if (this.closed) return Promise.resolve(crashed('the render pool is closed'));
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, job, resolve });
      this.pump();
    });
  }

  /** Stops every thread; jobs still waiting fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.resolve(crashed('the render pool is closed'));
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      for (const pending of slot.inFlight.splice(0)) {
        clearTimeout(pending.timer);
        pending.resolve(crashed('the render pool is closed'));
      }
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  /**
   * Each thread holds up to PIPELINE_DEPTH jobs, sent together in one message: it starts the next
   * render as soon as it posts a result instead of idling for a round trip through this thread,
   * and this thread posts one message per batch rather than per render. The time limit still
   * applies to one job at a time, from the moment the thread can start it (results come back one
   * by one, so we always know which job is running).
   */
  private pump(): void {
    const ready = this.slots.filter((slot) => slot.ready);
    for (const [index, slot] of ready.entries()) {
      if (this.queue.length === 0) break;
      // Share what is waiting among the threads still to be served.
      const fair = Math.ceil(this.queue.length / (ready.length - index));
      const room = PIPELINE_DEPTH - slot.inFlight.length;
      if (room > 0) this.dispatch(slot, this.queue.splice(0, Math.min(room, fair)));
    }
    // The whole pool starts on first use (threads boot in parallel), so that when one thread is
    // stuck or being replaced, another is already warm.
    while (this.slots.length < this.size && !this.closed && this.spawn());
  }

  /** The time limit starts when the thread can start the job, not while it waits its turn. */
  private startTimer(slot: Slot, pending: Pending): void {
    pending.timer = setTimeout(() => {
      this.settle(slot, {
        ok: false,
        reason: 'timeout',
        message: `render timed out after ${this.options.timeoutMs} ms`,
      });
      this.replace(slot);
    }, this.options.timeoutMs);
  }

  private dispatch(slot: Slot, batch: Pending[]): void {
    const idle = slot.inFlight.length === 0;
    slot.inFlight.push(...batch);
    if (idle && batch[0]) this.startTimer(slot, batch[0]);
    try {
      slot.worker.postMessage({ jobs: batch.map((pending) => ({ id: pending.id, job: pending.job })) });
    } catch (error) {
      // Only a context that cannot be cloned lands here; the thread itself is fine and never got it.
      slot.inFlight.splice(slot.inFlight.length - batch.length);
      for (const pending of batch) {
        clearTimeout(pending.timer);
        pending.resolve(crashed(`the event could not be passed to the renderer (${(error as Error).name})`));
      }
      if (idle) {
        const next = slot.inFlight[0];
        if (next) this.startTimer(slot, next);
      }
      this.pump();
    }
  }

  /** Starts one thread; false when the entry file is missing (then waiting jobs fail). */
  private spawn(): boolean {
    if (!existsSync(this.threadFile)) {
      const message = `the render thread entry is missing (${this.threadFile}); Herald must run from its project directory`;
      for (const pending of this.queue.splice(0)) pending.resolve(crashed(message));
      return false;
    }
    const worker = new Worker(this.threadFile, {
      execArgv: [],
      // Templates must not reach Herald's environment (secrets, database URL): the thread gets none.
      env: {},
      resourceLimits: {
        maxOldGenerationSizeMb: this.options.maxOldGenerationSizeMb ?? 128,
        maxYoungGenerationSizeMb: 16,
        stackSizeMb: 4,
      },
    });
    worker.unref();
    const slot: Slot = { worker, ready: false, inFlight: [] };
    slot.startTimer = setTimeout(() => {
      this.failStart(slot, 'the render thread did not start in time');
    }, this.options.startTimeoutMs ?? 30_000);
    this.slots.push(slot);

    worker.on('message', (message: unknown) => this.onMessage(slot, message));
    worker.on('error', (error: Error & { code?: string }) => {
      if (!slot.ready) return this.failStart(slot, `the render thread could not start: ${error.message}`);
      const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.settle(
        slot,
        outOfMemory
          ? { ok: false, reason: 'out-of-memory', message: 'render ran out of memory' }
          : crashed(error.message),
      );
      this.replace(slot);
    });
    worker.on('exit', (code) => {
      if (!this.slots.includes(slot)) return;
      if (!slot.ready) return this.failStart(slot, `the render thread exited while starting (code ${code})`);
      this.settle(slot, crashed(`the render thread stopped (code ${code})`));
      this.replace(slot);
    });
    return true;
  }

  private onMessage(slot: Slot, message: unknown): void {
    if (!message || typeof message !== 'object') return;
    const reply = message as { type?: string; id?: number; result?: RenderJobResult };
    if (reply.type === 'ready') {
      slot.ready = true;
      clearTimeout(slot.startTimer);
    } else if (slot.inFlight[0] && reply.id === slot.inFlight[0].id && reply.result) {
      this.settle(slot, reply.result);
      // The thread has already started the next job it holds.
      const next = slot.inFlight[0];
      if (next) this.startTimer(slot, next);
    }
    this.pump();
  }

  /** Resolves the job the thread is rendering (once). */
  private settle(slot: Slot, result: RenderJobResult): void {
    const pending = slot.inFlight.shift();
    if (!pending) return;
    clearTimeout(pending.timer);
    pending.resolve(result);
  }

  /**
   * Drops a thread that timed out or died and starts a fresh one, so the next job proceeds. Jobs
   * it held but had not started go back to the front of the queue: they did nothing wrong.
   */
  private replace(slot: Slot): void {
    this.queue.unshift(...slot.inFlight.splice(0));
    this.remove(slot);
    if (!this.closed) this.pump();
  }

  /** A thread that cannot start would fail the same way again: fail the waiting jobs, no retry loop. */
  private failStart(slot: Slot, message: string): void {
    this.remove(slot);
    if (this.slots.length === 0) for (const pending of this.queue.splice(0)) pending.resolve(crashed(message));
  }

  private remove(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    clearTimeout(slot.startTimer);
    void slot.worker.terminate();
  }
}

function crashed(reason: string): RenderJobResult {
  return { ok: false, reason: 'crashed', message: `render failed: ${reason}` };
}
