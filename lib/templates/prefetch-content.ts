import { ContentFetchError } from '../content/errors';
import type { ContentSource } from '../content/fetch-content-item';
import { errorDetail } from '../errors';
import { logger } from '../logger';
import { ContentBudget, ContentBudgetExceededError } from './content-budget';
import { type ContentCall, contentCallKey } from './content-calls';
import { CONTENT_WAIT_MS, type ContentLoadLimits } from './content-load-limits';
import { CONTENT_ITEM_HELPER } from './validate';
import { SemaphoreWaitAborted } from './weighted-semaphore';

/** Where one call's content comes from (Herald's store or an external API); may throw ContentFetchError. */
export type ContentSourceFor = (call: ContentCall) => ContentSource;

export interface PrefetchOptions {
  limits: ContentLoadLimits;
  budgetBytes?: number;
  /** Longest the render waits for memory and load slots, all together. */
  waitMs?: number;
}

/**
 * `contents`: each call's content as JSON text (`null`: the item does not exist), parsed by the
 * render thread when the template reaches the call. `release` gives back the memory they are
 * counted for in the worker's ceiling: call it once the render is over. `retryable`: nothing is
 * wrong with the template or its content (an API did not answer, the worker was busy).
 */
export type PrefetchResult =
  | { ok: true; contents: Array<[string, string | null]>; release: () => void }
  | { ok: false; error: string; retryable: boolean };

/**
 * Calls answered by one load: the same item, asked for by several calls of one render (each
 * presents it its own way: another locale, another media host).
 */
interface LoadGroup {
  source: ContentSource;
  calls: Array<{ call: ContentCall; source: ContentSource }>;
}

/**
 * Loads every withDeliveryContentItem call of a render before the template runs, within one
 * content budget for the whole render and the worker's limits (see content-load-limits.ts):
 * the render first reserves its budget from the worker's memory ceiling, its loads run when a
 * load slot is free, each with its own time limit, and every byte they receive is charged to
 * the budget as it arrives. The first load over budget, or that fails, stops the others.
 *
 * An item that does not exist renders the block's {{else}}. An item that could not be loaded
 * fails the render: sending the payload without the content the template asked for would look
 * like a success to the receiver and lose data silently, whereas a failed delivery shows the
 * reason in the activity log and can be redelivered.
 */
export async function prefetchContent(
  calls: ContentCall[],
  sourceFor: ContentSourceFor,
  options: PrefetchOptions,
): Promise<PrefetchResult> {
  const { limits, waitMs = CONTENT_WAIT_MS } = options;
  const budget = new ContentBudget(calls.length, options.budgetBytes);
  const groups = new Map<string, LoadGroup>();
  for (const call of calls) {
    let source: ContentSource;
    try {
      source = sourceFor(call);
    } catch (error) {
      return { ok: false, error: couldNotFetch(call, error), retryable: true };
    }
    const group = groups.get(source.key);
    if (group) group.calls.push({ call, source });
    else groups.set(source.key, { source, calls: [{ call, source }] });
  }

  const waitLimit = AbortSignal.timeout(waitMs);
  try {
    await limits.memory.acquire(budget.limitBytes, waitLimit);
  } catch (error) {
    if (error instanceof SemaphoreWaitAborted) return busy(waitMs);
    throw error;
  }
  let reserved = budget.limitBytes;
  const release = (bytes: number) => {
    const given = Math.min(bytes, reserved);
    reserved -= given;
    limits.memory.release(given);
  };

  const failed = new AbortController();
  const stop = AbortSignal.any([budget.signal, failed.signal]);
  const contents: Array<[string, string | null]> = [];
  let heldBytes = 0;

  const loadGroup = async ({ source, calls: answered }: LoadGroup) => {
    await limits.loads.acquire(1, AbortSignal.any([stop, waitLimit]));
    let content: unknown | null;
    // Bytes this load received: its first call's text replaces them, so only the excess counts.
    let arrived = 0;
    try {
      content = await source.load({
        signal: stop,
        onBytes: (bytes) => {
          arrived += bytes;
          budget.charge(bytes);
        },
        bytesLeft: () => budget.remainingBytes,
      });
    } finally {
      limits.loads.release(1);
    }
    for (const { call, source: own } of answered) {
      const text = content === null ? null : JSON.stringify(own.present(content));
      const bytes = text === null ? 0 : Buffer.byteLength(text);
      budget.charge(Math.max(0, bytes - arrived));
      arrived = 0;
      heldBytes += bytes;
      contents.push([contentCallKey(call), text]);
      budget.callDone();
    }
  };

  // The failure that came first is the one to report: it stopped the others.
  let first: { group: LoadGroup; error: unknown } | undefined;
  await Promise.all(
    [...groups.values()].map((group) =>
      loadGroup(group).catch((error: unknown) => {
        first ??= { group, error };
        failed.abort();
      }),
    ),
  );
  if (!first) {
    release(reserved - heldBytes);
    return { ok: true, contents, release: () => release(reserved) };
  }
  release(reserved);
  if (budget.error) return { ok: false, error: budget.error.message, retryable: false };
  if (first.error instanceof SemaphoreWaitAborted) return busy(waitMs);
  return { ok: false, error: couldNotFetch(first.group.calls[0]?.call as ContentCall, first.error), retryable: true };
}

function busy(waitMs: number): PrefetchResult {
  return {
    ok: false,
    error: `${CONTENT_ITEM_HELPER} postponed: this worker's content loads were busy for ${waitMs / 1000} s`,
    retryable: true,
  };
}

function couldNotFetch(call: ContentCall, reason: unknown): string {
  if (!(reason instanceof ContentFetchError) && !(reason instanceof ContentBudgetExceededError)) {
    logger('templates').error(`${CONTENT_ITEM_HELPER} fetch failed: ${errorDetail(reason)}`);
  }
  const why = reason instanceof ContentFetchError ? reason.message : 'unexpected error';
  return `${CONTENT_ITEM_HELPER} could not fetch content item "${call.contentItemId}": ${why}`;
}
