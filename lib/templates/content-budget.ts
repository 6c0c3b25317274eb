import { MAX_CONTENT_BYTES } from '../content/linked-items';
import { CONTENT_ITEM_HELPER } from './validate';

/**
 * What all withDeliveryContentItem calls of one render may load together: as much as one
 * `/content/id` answer may hold. Without it, 25 calls on items that each link megabytes of
 * content made one render hold over 100 MB, and a worker's 200 slots held gigabytes.
 */
export const CONTENT_BUDGET_BYTES = MAX_CONTENT_BYTES;

export class ContentBudgetExceededError extends Error {
  override name = 'ContentBudgetExceededError';
}

function megabytes(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  return Number.isInteger(mb) ? `${mb} MB` : `${mb.toFixed(1)} MB`;
}

/**
 * The content budget of one render: every byte any of its content loads receives is charged as
 * it arrives (a row read from Herald's store, a chunk of an external API's answer), so a render
 * stops loading the moment it goes over, not after everything has been read. Going over aborts
 * `signal`, which cancels the render's other loads still running.
 */
export class ContentBudget {
  private used = 0;
  private callsDone = 0;
  private exceeded: ContentBudgetExceededError | null = null;
  private readonly controller = new AbortController();

  constructor(
    readonly calls: number,
    readonly limitBytes: number = CONTENT_BUDGET_BYTES,
  ) {}

  /** Aborts once the budget is exceeded: every load of the render listens to it. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get usedBytes(): number {
    return this.used;
  }

  /** What the render's loads may still receive. */
  get remainingBytes(): number {
    return Math.max(0, this.limitBytes - this.used);
  }

  /** The error the render fails with, once over budget. */
  get error(): ContentBudgetExceededError | null {
    return this.exceeded;
  }

  /** Counts `bytes` more; throws ContentBudgetExceededError (and aborts `signal`) when over the limit. */
  charge(bytes: number): void {
    if (this.exceeded) throw this.exceeded;
    this.used += bytes;
    if (this.used <= this.limitBytes) return;
    this.exceeded = new ContentBudgetExceededError(
      `content budget of ${megabytes(this.limitBytes)} exceeded after ${this.callsDone} of ${this.calls} ` +
        `${CONTENT_ITEM_HELPER} calls: all content one render loads counts against it, as for one /content/id answer`,
    );
    this.controller.abort(this.exceeded);
    throw this.exceeded;
  }

  /** One call has all its content (for the message: how far the render got). */
  callDone(): void {
    this.callsDone += 1;
  }
}
