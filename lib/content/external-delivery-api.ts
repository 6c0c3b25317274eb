import { ContentFetchError } from './errors';
import { isJsonObject } from './schemas';

/** What a withDeliveryContentItem call asks an external content delivery API for. */
export interface DeliveryApiTarget {
  contentItemId: string;
  account: string;
  stagingEnvironment: string;
  locale: string;
  snapshotId: string;
}

const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?$/;
const PLACEHOLDERS = /\{(account|stagingEnvironment|snapshotId)\}/g;
const HAS_PLACEHOLDER = /\{(account|stagingEnvironment|snapshotId)\}/;

/** Accepts "host", "host:port" or a pasted "https://host/"; anything else could redirect the request. */
function hostOf(value: string, what: string): string {
  const host = value.replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  if (!HOST.test(host)) throw new ContentFetchError(`${what} "${value}" is not a host name`);
  return host;
}

/**
 * Where a call is fetched from, with HERALD_CONTENT_DELIVERY_URL as `base`:
 * - a base with `{account}`, `{stagingEnvironment}` or `{snapshotId}` placeholders gets them filled in
 *   (e.g. `https://{account}.cdn.content.amplience.net`, or a mirror `http://mirror/{account}`);
 * - otherwise, as the seeds describe, a `stagingEnvironment` is the host to ask
 *   (`https://{stagingEnvironment}`), else `https://{account}.cdn.content.amplience.net`,
 *   and the base itself only when the call names neither.
 * Then: `{base}/content/id/{id}?depth=all&format=inlined[&locale=]`.
 */
export function deliveryApiUrl(base: string, target: DeliveryApiTarget): URL {
  let root: string;
  if (HAS_PLACEHOLDER.test(base)) {
    root = base.replace(PLACEHOLDERS, (_, name: keyof DeliveryApiTarget) => {
      const value = target[name];
      if (value === '')
        throw new ContentFetchError(`the content delivery URL needs ${name}, which the call does not give`);
      return name === 'snapshotId' ? encodeURIComponent(value) : hostOf(value, name);
    });
  } else if (target.stagingEnvironment !== '') {
    root = `https://${hostOf(target.stagingEnvironment, 'stagingEnvironment')}`;
  } else if (target.account !== '') {
    root = `https://${hostOf(target.account, 'account')}.cdn.content.amplience.net`;
  } else {
    root = base;
  }
  const url = new URL(`${root.replace(/\/+$/, '')}/content/id/${encodeURIComponent(target.contentItemId)}`);
  url.searchParams.set('depth', 'all');
  url.searchParams.set('format', 'inlined');
  if (target.locale !== '') url.searchParams.set('locale', target.locale);
  return url;
}

/** GET the item; `null` on 404. Redirects are not followed (as for webhook deliveries). */
export async function fetchFromDeliveryApi(url: URL, timeoutMs: number): Promise<unknown | null> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new ContentFetchError(
      timedOut ? `${url.host} did not answer within ${timeoutMs} ms` : `could not reach ${url.host}`,
      { cause: error },
    );
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ContentFetchError(`${url.host} answered ${response.status}`);
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!isJsonObject(json) || !isJsonObject(json.content)) {
    throw new ContentFetchError(`${url.host} did not answer with { "content": … }`);
  }
  return json.content;
}
