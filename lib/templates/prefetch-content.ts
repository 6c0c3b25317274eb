import { ContentFetchError } from '../content/errors';
import { logger } from '../logger';
import { type ContentCall, contentCallKey } from './content-calls';
import { CONTENT_ITEM_HELPER } from './validate';

export type FetchContent = (call: ContentCall) => Promise<unknown | null>;

export type PrefetchResult = { ok: true; contents: Array<[string, unknown]> } | { ok: false; error: string };

/**
 * Fetches every withDeliveryContentItem call of a render in parallel (each bounded by its own
 * timeout in `fetchContent`). An item that does not exist renders the block's {{else}}. An item
 * that could not be fetched fails the render: sending the payload without the content the
 * template asked for would look like a success to the receiver and lose data silently, whereas a
 * failed delivery shows the reason in the activity log and can be redelivered.
 */
export async function prefetchContent(calls: ContentCall[], fetchContent: FetchContent): Promise<PrefetchResult> {
  const settled = await Promise.allSettled(calls.map((call) => fetchContent(call)));
  const contents: Array<[string, unknown]> = [];
  for (const [index, outcome] of settled.entries()) {
    const call = calls[index]!;
    if (outcome.status === 'fulfilled') {
      contents.push([contentCallKey(call), outcome.value]);
      continue;
    }
    const reason: unknown = outcome.reason;
    if (!(reason instanceof ContentFetchError)) {
      logger('templates').error(
        `${CONTENT_ITEM_HELPER} fetch failed: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
      );
    }
    const why = reason instanceof ContentFetchError ? reason.message : 'unexpected error';
    return { ok: false, error: `${CONTENT_ITEM_HELPER} could not fetch content item "${call.contentItemId}": ${why}` };
  }
  return { ok: true, contents };
}
