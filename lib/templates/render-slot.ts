import type { Worker } from 'node:worker_threads';
import { crashed, type RenderJob, type RenderJobResult } from './render-job';
import { startRenderThread } from './render-thread';

/** A job of the render pool, from the moment it is queued until its result is resolved. */
export interface Pending {
  id: number;
  job: RenderJob;
  lane: string;
  resolve: (result: RenderJobResult) => void;
  /** The time limit, from the moment the thread can start the job. */
  timer?: NodeJS.Timeout;
  startedAt?: number;
  /** Sent alone to an idle thread: nothing is pipelined behind it. */
  exclusive: boolean;
  waitTimer?: NodeJS.Timeout;
  queuedAt: number;
  /** Time spent in the queue so far (a job goes back when its thread dies before starting it). */
  waitedMs: number;
}

/** One render thread and the jobs it holds. */
export interface Slot {
  worker: Worker;
  ready: boolean;
  /** Jobs posted to the thread, in order; the first is rendering, the rest wait in its port. */
  inFlight: Pending[];
  /** Keeps the process alive while a thread starts with jobs waiting, and bounds the start. */
  startTimer?: NodeJS.Timeout;
}

/** What a thread's messages, errors and exit mean to the pool that owns it. */
export interface SlotEvents {
  /** The thread has loaded and takes jobs. */
  ready(slot: Slot): void;
  /** The thread posted the result of job `id`. */
  result(slot: Slot, id: number, result: RenderJobResult): void;
  /** The thread could not start: starting another would fail the same way. */
  startFailed(slot: Slot, message: string): void;
  /** The running thread died (out of memory, crashed, exited): its running job fails with `result`. */
  stopped(slot: Slot, result: RenderJobResult): void;
  /** False once the pool has let go of the slot (its exit is then expected). */
  owns(slot: Slot): boolean;
}

/** Starts one render thread and translates what it says and does into the pool's terms. */
export function startSlot(
  threadFile: string,
  maxOldGenerationSizeMb: number | undefined,
  startTimeoutMs: number,
  events: SlotEvents,
): Slot {
  const worker = startRenderThread(threadFile, maxOldGenerationSizeMb);
  const slot: Slot = { worker, ready: false, inFlight: [] };
  slot.startTimer = setTimeout(
    () => events.startFailed(slot, 'the render thread did not start in time'),
    startTimeoutMs,
  );

  worker.on('message', (message: unknown) => {
    if (!message || typeof message !== 'object') return;
    const reply = message as { type?: string; id?: number; result?: RenderJobResult };
    if (reply.type === 'ready') {
      slot.ready = true;
      clearTimeout(slot.startTimer);
      events.ready(slot);
    } else if (typeof reply.id === 'number' && reply.result) {
      events.result(slot, reply.id, reply.result);
    }
  });
  worker.on('error', (error: Error & { code?: string }) => {
    if (!slot.ready) return events.startFailed(slot, `the render thread could not start: ${error.message}`);
    const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
    events.stopped(
      slot,
      outOfMemory
        ? { ok: false, reason: 'out-of-memory', message: 'render ran out of memory' }
        : crashed(error.message),
    );
  });
  worker.on('exit', (code) => {
    if (!events.owns(slot)) return;
    if (!slot.ready) return events.startFailed(slot, `the render thread exited while starting (code ${code})`);
    events.stopped(slot, crashed(`the render thread stopped (code ${code})`));
  });
  return slot;
}
