import { existsSync } from 'node:fs';
import { FairQueue, KeyHealth, type KeyStatus } from './render-fairness';
import { busy, crashed, parked, type RenderJob, type RenderJobResult, type RenderPoolOptions } from './render-job';
import { type Pending, type Slot, startSlot } from './render-slot';
import { RENDER_THREAD_FILE } from './render-thread';

export type { RenderJob, RenderJobResult, RenderPoolOptions } from './render-job';

/**
 * A small pool of worker_threads that render templates off the caller's event loop. Each thread
 * renders one job at a time under a time limit and a heap limit: a job that runs too long gets
 * its thread terminated (V8 stops even a tight loop), a thread that runs out of memory dies on
 * its own; either way the job fails, the thread is replaced, and the next job proceeds.
 *
 * Fairness between webhooks (each job carries its webhook id as `key`): waiting jobs are served
 * one key at a time, round-robin; a key whose renders are not known to be quick (never seen, or
 * recently stopped) renders one job at a time, alone on its thread, and a recently stopped one
 * never takes the last thread free of such work, so other webhooks always have a thread; a key
 * stopped `parkAfter` times in a row is parked: its renders fail fast (`parked`) for `parkMs`.
 * No job waits for a thread longer than `maxQueueWaitMs` (it fails as `busy`, to be retried).
 * Jobs without a key share one lane, are always trusted and are never parked.
 */
const PIPELINE_DEPTH = 8;

/** The lane of jobs run without a key. */
const UNKEYED = '';

export class RenderPool {
  private readonly slots: Slot[] = [];
  private readonly queue = new FairQueue<Pending>();
  private readonly health: KeyHealth;
  private readyWaiters: Array<() => void> = [];
  private nextId = 1;
  private closed = false;
  private readonly size: number;
  private readonly threadFile: string;
  private readonly maxQueueWaitMs: number;

  constructor(private readonly options: RenderPoolOptions) {
    this.size = options.size ?? 2;
    this.threadFile = options.threadFile ?? RENDER_THREAD_FILE;
    this.maxQueueWaitMs = options.maxQueueWaitMs ?? 10_000;
    this.health = new KeyHealth({
      parkAfter: options.parkAfter ?? 3,
      parkMs: options.parkMs ?? 60_000,
      suspectMs: options.suspectMs ?? 5 * 60_000,
      fastMs: options.timeoutMs / 2,
    });
  }

  /** Renders `job`; `key` (a webhook id) is what fairness and parking are counted by. */
  run(job: RenderJob, key?: string): Promise<RenderJobResult> {
    if (this.closed) return Promise.resolve(crashed('the render pool is closed'));
    const lane = key ?? UNKEYED;
    const now = Date.now();
    if (this.status(lane, now) === 'parked') return Promise.resolve(this.parkedResult(lane, now));
    return new Promise((resolve) => {
      this.enqueue({ id: this.nextId++, job, lane, resolve, exclusive: false, queuedAt: now, waitedMs: 0 }, false);
      this.pump();
    });
  }

  /** Resolves once every thread has started (for a warm start, and for tests). */
  whenReady(): Promise<void> {
    if (this.closed || this.readyCount() >= this.size) return Promise.resolve();
    return new Promise((resolve) => {
      this.readyWaiters.push(resolve);
      this.pump();
    });
  }

  /** Stops every thread; jobs still waiting fail. */
  async close(): Promise<void> {
    this.closed = true;
    this.failQueued(crashed('the render pool is closed'));
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      for (const pending of slot.inFlight.splice(0)) {
        clearTimeout(pending.timer);
        pending.resolve(crashed('the render pool is closed'));
      }
    }
    this.wakeReadyWaiters();
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private status(lane: string, now: number): KeyStatus {
    return lane === UNKEYED ? 'trusted' : this.health.status(lane, now);
  }

  private enqueue(pending: Pending, front: boolean): void {
    pending.queuedAt = Date.now();
    if (front) this.queue.unshift(pending.lane, pending);
    else this.queue.push(pending.lane, pending);
    pending.waitTimer = setTimeout(
      () => {
        if (this.queue.remove(pending.lane, pending)) pending.resolve(busy(this.maxQueueWaitMs));
      },
      Math.max(0, this.maxQueueWaitMs - pending.waitedMs),
    );
  }

  /**
   * Each thread holds up to PIPELINE_DEPTH jobs, sent together in one message: it starts the next
   * render as soon as it posts a result instead of idling for a round trip through this thread,
   * and this thread posts one message per batch rather than per render. The time limit still
   * applies to one job at a time, from the moment the thread can start it (results come back one
   * by one, so we always know which job is running). Only trusted keys' jobs share a thread.
   */
  private pump(): void {
    const ready = this.slots.filter((slot) => slot.ready);
    const now = Date.now();
    for (const [index, slot] of ready.entries()) {
      if (this.queue.size === 0) break;
      if (slot.inFlight[0]?.exclusive) continue;
      // Share what is waiting among the threads still to be served.
      let room = Math.min(PIPELINE_DEPTH - slot.inFlight.length, Math.ceil(this.queue.size / (ready.length - index)));
      const batch: Pending[] = [];
      while (room-- > 0) {
        const idle = slot.inFlight.length === 0 && batch.length === 0;
        const pending = this.queue.take((lane) => this.eligible(lane, slot, idle, ready, now));
        if (!pending) break;
        clearTimeout(pending.waitTimer);
        pending.waitedMs += now - pending.queuedAt;
        batch.push(pending);
        if (this.status(pending.lane, now) !== 'trusted') {
          pending.exclusive = true;
          break;
        }
      }
      if (batch.length > 0) this.dispatch(slot, batch);
    }
    // The whole pool starts on first use (threads boot in parallel), so that when one thread is
    // stuck or being replaced, another is already warm.
    while (this.slots.length < this.size && !this.closed && this.spawn());
  }

  private eligible(lane: string, slot: Slot, idle: boolean, ready: Slot[], now: number): boolean {
    const status = this.status(lane, now);
    if (status === 'trusted') return true;
    if (status === 'parked' || !idle) return false;
    // One job at a time per untrusted key: its next job waits for this one's verdict.
    if (this.slots.some((other) => other.inFlight[0]?.exclusive && other.inFlight[0].lane === lane)) return false;
    if (status === 'suspect' && this.size > 1) {
      return ready.some((other) => other !== slot && !other.inFlight[0]?.exclusive);
    }
    return true;
  }

  private startTimer(slot: Slot, pending: Pending): void {
    pending.startedAt = Date.now();
    pending.timer = setTimeout(() => {
      this.stop(slot, { ok: false, reason: 'timeout', message: `render timed out after ${this.options.timeoutMs} ms` });
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
      this.failQueued(
        crashed(`the render thread entry is missing (${this.threadFile}); Herald must run from its project directory`),
      );
      this.wakeReadyWaiters();
      return false;
    }
    const slot = startSlot(
      this.threadFile,
      this.options.maxOldGenerationSizeMb,
      this.options.startTimeoutMs ?? 30_000,
      {
        ready: () => {
          if (this.readyCount() >= this.size) this.wakeReadyWaiters();
          this.pump();
        },
        result: (slot, id, result) => this.onResult(slot, id, result),
        startFailed: (slot, message) => this.failStart(slot, message),
        stopped: (slot, result) => this.stop(slot, result),
        owns: (slot) => this.slots.includes(slot),
      },
    );
    this.slots.push(slot);
    return true;
  }

  private onResult(slot: Slot, id: number, result: RenderJobResult): void {
    const running = slot.inFlight[0];
    if (running && id === running.id) {
      if (running.lane !== UNKEYED) this.health.finished(running.lane, Date.now() - (running.startedAt ?? Date.now()));
      this.settle(slot, result);
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
   * The running job was stopped (time limit, out of memory, thread died): it fails, its key takes
   * a strike (a key parked by it has its waiting jobs fail fast), and the thread is replaced.
   */
  private stop(slot: Slot, result: RenderJobResult): void {
    const running = slot.inFlight[0];
    this.settle(slot, result);
    if (running && running.lane !== UNKEYED && this.health.stopped(running.lane, Date.now())) {
      const postponed = this.parkedResult(running.lane, Date.now());
      for (const pending of this.queue.drain(running.lane)) {
        clearTimeout(pending.waitTimer);
        pending.resolve(postponed);
      }
    }
    this.replace(slot);
  }

  private parkedResult(lane: string, now: number): RenderJobResult {
    return parked(this.health.strikes(lane), this.health.parkedFor(lane, now));
  }

  /**
   * Drops a thread that timed out or died and starts a fresh one, so the next job proceeds. Jobs
   * it held but had not started go back to the front of their lanes: they did nothing wrong.
   */
  private replace(slot: Slot): void {
    for (const pending of slot.inFlight.splice(0).reverse()) {
      pending.exclusive = false;
      this.enqueue(pending, true);
    }
    this.remove(slot);
    if (!this.closed) this.pump();
  }

  /** A thread that cannot start would fail the same way again: fail the waiting jobs, no retry loop. */
  private failStart(slot: Slot, message: string): void {
    this.remove(slot);
    if (this.slots.length > 0) return;
    this.failQueued(crashed(message));
    this.wakeReadyWaiters();
  }

  private failQueued(result: RenderJobResult): void {
    for (const pending of this.queue.drainAll()) {
      clearTimeout(pending.waitTimer);
      pending.resolve(result);
    }
  }

  private readyCount(): number {
    return this.slots.filter((slot) => slot.ready).length;
  }

  private wakeReadyWaiters(): void {
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  private remove(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    clearTimeout(slot.startTimer);
    void slot.worker.terminate();
  }
}
