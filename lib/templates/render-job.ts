import type { TemplateKind } from './limits';

/** What a render thread renders (posted to it as is; see thread/renderer.cjs). */
export interface RenderJob {
  templates: Array<{ kind: TemplateKind; source: string }>;
  /** The template context, or its JSON text (parsed in the thread: cheaper than a structured clone). */
  context: Record<string, unknown> | string;
  /**
   * withDeliveryContentItem results by call key, as JSON text (`null` for an item that does not
   * exist): a string crosses to the thread as one copy, and is parsed only if the render reaches it.
   */
  contents: Array<[string, string | null]>;
  maxOutputBytes: number;
  /**
   * The previous payload of the event's key as JSON text, when the templates use `previous` or
   * `changes` (the thread adds both to the context); null or absent: there is none.
   */
  previous?: string | null;
}

/**
 * `timeout`, `out-of-memory`: the render was stopped (its thread terminated). `parked`: not
 * rendered, because this key's recent renders kept being stopped. `busy`: not rendered, because
 * it waited too long for a thread. The last two say nothing about this job's template: try later.
 */
export type RenderJobResult =
  | { ok: true; outputs: string[] }
  | { ok: false; reason: 'error'; kind: TemplateKind; message: string; line?: number; column?: number }
  | { ok: false; reason: 'too-large'; kind: TemplateKind; bytes: number }
  | { ok: false; reason: 'timeout' | 'out-of-memory' | 'crashed'; message: string }
  | { ok: false; reason: 'parked' | 'busy'; message: string };

export interface RenderPoolOptions {
  size?: number;
  timeoutMs: number;
  maxOldGenerationSizeMb?: number;
  threadFile?: string;
  /** Loading handlebars-helpers takes a few hundred ms; this bounds a thread that never gets ready. */
  startTimeoutMs?: number;
  /**
   * Longest a job waits for a thread before it fails as `busy`. Keeps a render well inside the
   * delivery worker's lease (HTTP timeout × 2 + 30 s), so no delivery is sent twice because its
   * render sat in a queue. Default 10 s.
   */
  maxQueueWaitMs?: number;
  /** Consecutive stopped renders (time or memory limit) that park a key. Default 3. */
  parkAfter?: number;
  /** How long a parked key's renders fail fast. Default 60 s. */
  parkMs?: number;
  /** How long after a stopped render a key is kept off the last free thread. Default 5 min. */
  suspectMs?: number;
}

export function crashed(reason: string): RenderJobResult {
  return { ok: false, reason: 'crashed', message: `render failed: ${reason}` };
}

export function busy(waitedMs: number): RenderJobResult {
  const seconds = Math.round(waitedMs / 100) / 10;
  return { ok: false, reason: 'busy', message: `render postponed: no render thread was free for ${seconds} s` };
}

export function parked(strikes: number, remainingMs: number): RenderJobResult {
  return {
    ok: false,
    reason: 'parked',
    message:
      `render postponed: this webhook's last ${strikes} renders were stopped by the time or memory limit, ` +
      `so its renders pause for ${Math.ceil(remainingMs / 1000)} s`,
  };
}
