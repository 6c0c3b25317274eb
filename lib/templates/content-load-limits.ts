import { CONTENT_BUDGET_BYTES } from './content-budget';
import { WeightedSemaphore } from './weighted-semaphore';

/**
 * What the withDeliveryContentItem loads of ALL renders of one process may take at once. A
 * worker runs up to 200 deliveries at a time; without these, each of them could load its whole
 * content budget at the same moment (200 × 5 MB).
 *
 * - `loads`: content loads running at once (database reads or external API requests); more wait.
 * - `memory`: bytes of content held by renders. A render reserves its whole budget before its
 *   first load, so it never has to wait for memory while holding some (no render can block
 *   another that way), and gives back what it did not use once its loads are done; what it
 *   loaded stays counted until its template has rendered. A render that finds the ceiling taken
 *   waits for bytes to free up rather than allocating.
 *
 * Chosen by `npm run bench:content` (25 calls on items of ~4.5 MB, 40 events, 200 slots): with 6
 * loads and 8 budgets the worker grew 253–313 MB on a quiet machine, with 3 loads and 4 budgets
 * 224–274 MB, with 2 and 4 192–239 MB, and its first attempts came sooner (6.6 s against 12.8 s).
 */
export const CONTENT_LOADS_AT_ONCE = 2;
export const CONTENT_MEMORY_CEILING_BYTES = 4 * CONTENT_BUDGET_BYTES;

/** Longest a render waits for a load slot or for memory before it is postponed (retried later). */
export const CONTENT_WAIT_MS = 10_000;

export interface ContentLoadLimits {
  loads: WeightedSemaphore;
  memory: WeightedSemaphore;
}

export function createContentLoadLimits(
  loadsAtOnce = CONTENT_LOADS_AT_ONCE,
  memoryBytes = CONTENT_MEMORY_CEILING_BYTES,
): ContentLoadLimits {
  return { loads: new WeightedSemaphore(loadsAtOnce), memory: new WeightedSemaphore(memoryBytes) };
}

// On globalThis so Next.js dev reloads share one set of limits, as they share one render pool.
const globalForLimits = globalThis as unknown as { heraldContentLoadLimits?: ContentLoadLimits };

/** The process-wide limits every render's content loads share. */
export function contentLoadLimits(): ContentLoadLimits {
  globalForLimits.heraldContentLoadLimits ??= createContentLoadLimits();
  return globalForLimits.heraldContentLoadLimits;
}
