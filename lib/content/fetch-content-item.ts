import { env, type PrivateDestinationPolicy } from '../config/env';
import { ContentFetchError } from './errors';
import { deliveryApiUrl, fetchFromDeliveryApi } from './external-delivery-api';
import { getDeliveryContent } from './get-delivery-content';
import { ContentTooLargeError } from './linked-items';
import { abortReason, type LoadControl } from './load-control';
import { localizeContent } from './locale';
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

export interface FetchContentItemOptions extends LoadControl {
  timeoutMs: number;
  /** HERALD_CONTENT_DELIVERY_URL by default; unset means Herald's own content store. */
  deliveryUrl?: string;
  /** HERALD_ALLOW_PRIVATE_DESTINATIONS by default. */
  privateDestinations?: PrivateDestinationPolicy;
}

/**
 * Where a call's content comes from, and what to do with it once loaded. Calls with the same
 * `key` are answered by the same load (one render never loads an item twice): from Herald's
 * store the locale and the media host are applied after loading, so only the item id matters;
 * from an external API the locale is part of the request.
 */
export interface ContentSource {
  key: string;
  load(control: LoadControl): Promise<unknown | null>;
  /** The loaded content as this call renders it. */
  present(content: unknown): unknown;
}

export function contentSource(request: ContentItemRequest, options: FetchContentItemOptions): ContentSource {
  const base = 'deliveryUrl' in options ? options.deliveryUrl : env().HERALD_CONTENT_DELIVERY_URL;
  const { timeoutMs } = options;
  if (base) {
    const url = deliveryApiUrl(base, request);
    const privateDestinations = options.privateDestinations ?? env().HERALD_ALLOW_PRIVATE_DESTINATIONS;
    return {
      key: `api ${url.href}`,
      load: (control) => fetchFromDeliveryApi(url, { ...control, timeoutMs, privateDestinations }),
      present: (content) => withMediaHost(content, request.mediaHost),
    };
  }
  return {
    key: `store ${request.hubId} ${request.contentItemId}`,
    load: (control) => loadFromStore(request, control, timeoutMs),
    present: (content) =>
      withMediaHost(request.locale ? localizeContent(content, request.locale) : content, request.mediaHost),
  };
}

/**
 * The item, inlined and not yet localized, from Herald's own store. The time limit cancels the
 * database query (it is not left running after the render has given up on it).
 */
async function loadFromStore(request: ContentItemRequest, control: LoadControl, timeoutMs: number) {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = control.signal ? AbortSignal.any([control.signal, timeout]) : timeout;
  try {
    const found = await getDeliveryContent(
      { hubId: request.hubId, id: request.contentItemId },
      { signal, onBytes: control.onBytes, bytesLeft: control.bytesLeft },
    );
    return found?.content ?? null;
  } catch (error) {
    const stoppedBy = abortReason(control.signal);
    if (stoppedBy) throw stoppedBy;
    if (timeout.aborted) throw new ContentFetchError(`timed out after ${timeoutMs} ms`, { cause: error });
    if (error instanceof ContentFetchError) throw error;
    if (error instanceof ContentTooLargeError) throw new ContentFetchError(error.message, { cause: error });
    throw new ContentFetchError("Herald's content store could not be read", { cause: error });
  }
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
  const source = contentSource(request, options);
  const content = await source.load({ signal: options.signal, onBytes: options.onBytes, bytesLeft: options.bytesLeft });
  return content === null ? null : source.present(content);
}
