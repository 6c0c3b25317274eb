import { env, type PrivateDestinationPolicy } from '../config/env';
import { ContentFetchError, withTimeout } from './errors';
import { deliveryApiUrl, fetchFromDeliveryApi } from './external-delivery-api';
import { getDeliveryContent } from './get-delivery-content';
import { ContentTooLargeError } from './linked-items';
import { withMediaHost } from './media-host';

/** One withDeliveryContentItem call, with every argument spelled out ('' when not given). */
export interface ContentItemRequest {
  hubId: string;
  contentItemId: string;
  account: string;
  stagingEnvironment: string;
  locale: string;
  snapshotId: string;
  mediaHost: string;
}

export interface FetchContentItemOptions {
  timeoutMs: number;
  /** HERALD_CONTENT_DELIVERY_URL by default; unset means Herald's own content store. */
  deliveryUrl?: string;
  /** HERALD_ALLOW_PRIVATE_DESTINATIONS by default. */
  privateDestinations?: PrivateDestinationPolicy;
}

/**
 * The content withDeliveryContentItem renders its block with: the item as the content delivery
 * API returns it (inlined, depth all, `locale` applied), media on `mediaHost` or Amplience's
 * production media host. `null` when the item does not exist; throws ContentFetchError when it
 * could not be fetched (timeout, unreachable API, error status).
 *
 * From Herald's own store, `account`, `stagingEnvironment` and `snapshotId` do not matter: the
 * store keeps the latest version Herald has seen of each item, in the webhook's hub, and is read
 * in-process (no HTTP, so no credentials), scoped to the delivery's hub.
 */
export async function fetchContentItem(
  request: ContentItemRequest,
  options: FetchContentItemOptions = { timeoutMs: 2000 },
): Promise<unknown | null> {
  const base = 'deliveryUrl' in options ? options.deliveryUrl : env().HERALD_CONTENT_DELIVERY_URL;
  let content: unknown | null;
  if (base) {
    content = await fetchFromDeliveryApi(deliveryApiUrl(base, request), {
      timeoutMs: options.timeoutMs,
      privateDestinations: options.privateDestinations ?? env().HERALD_ALLOW_PRIVATE_DESTINATIONS,
    });
  } else {
    const query = { hubId: request.hubId, id: request.contentItemId, locale: request.locale || undefined };
    const found = await withTimeout(getDeliveryContent(query), options.timeoutMs).catch((error: unknown) => {
      if (error instanceof ContentFetchError) throw error;
      if (error instanceof ContentTooLargeError) throw new ContentFetchError(error.message, { cause: error });
      throw new ContentFetchError("Herald's content store could not be read", { cause: error });
    });
    content = found?.content ?? null;
  }
  return content === null ? null : withMediaHost(content, request.mediaHost);
}
