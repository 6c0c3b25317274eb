import { type Agent, errors, request } from 'undici';
import type { PrivateDestinationPolicy } from '../config/env';
import { DestinationRefusedError } from '../outbound/destination-guard';
import { createDeliveryAgent } from '../outbound/http-client';
import { ContentFetchError } from './errors';
import { abortReason, type LoadControl } from './load-control';
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

/** Bounds what one content item may weigh in memory before the render even starts. */
export const MAX_CONTENT_RESPONSE_BYTES = 5 * 1024 * 1024;

export interface FetchFromDeliveryApiOptions extends LoadControl {
  timeoutMs: number;
  /** The hosts come partly from templates: they pass the same destination guard as webhooks. */
  privateDestinations: PrivateDestinationPolicy;
}

const agents = new Map<PrivateDestinationPolicy, Agent>();

function agentFor(policy: PrivateDestinationPolicy): Agent {
  let agent = agents.get(policy);
  if (!agent) {
    agent = createDeliveryAgent(policy, 16);
    agents.set(policy, agent);
  }
  return agent;
}

/**
 * GET the item; `null` on 404. Redirects are not followed (as for webhook deliveries). The time
 * limit and `signal` abort the request itself, body stream included: nothing keeps downloading
 * after the caller has given up.
 */
export async function fetchFromDeliveryApi(url: URL, options: FetchFromDeliveryApiOptions): Promise<unknown | null> {
  const { timeoutMs } = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await request(url, {
      dispatcher: agentFor(options.privateDestinations),
      headers: { accept: 'application/json' },
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    if (response.statusCode === 404) {
      await response.body.dump();
      return null;
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      await response.body.dump();
      throw new ContentFetchError(`${url.host} answered ${response.statusCode}`);
    }
    const json = parseJson(await readCapped(response.body, url.host, options.onBytes));
    if (!isJsonObject(json) || !isJsonObject(json.content)) {
      throw new ContentFetchError(`${url.host} did not answer with { "content": … }`);
    }
    return json.content;
  } catch (error) {
    // Stopped by the caller (its render went over its content budget): its reason, not ours.
    const stoppedBy = abortReason(options.signal);
    if (stoppedBy) throw stoppedBy;
    if (error instanceof ContentFetchError) throw error;
    throw new ContentFetchError(describeFailure(error, url.host, timeoutMs), { cause: error });
  }
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): void },
  host: string,
  onBytes: ((bytes: number) => void) | undefined,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    try {
      onBytes?.(chunk.length);
    } catch (error) {
      body.destroy();
      throw error;
    }
    size += chunk.length;
    if (size > MAX_CONTENT_RESPONSE_BYTES) {
      body.destroy();
      throw new ContentFetchError(`${host} answered more than ${MAX_CONTENT_RESPONSE_BYTES / 1024 / 1024} MB`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeFailure(error: unknown, host: string, timeoutMs: number): string {
  // undici wraps the connect error; the destination guard's reason is the useful message.
  for (let cause: unknown = error, depth = 0; cause instanceof Error && depth < 4; depth++) {
    if (cause instanceof DestinationRefusedError) return cause.message;
    cause = (cause as Error & { cause?: unknown }).cause;
  }
  const timedOut =
    (error instanceof Error && error.name === 'TimeoutError') ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError;
  return timedOut ? `${host} did not answer within ${timeoutMs} ms` : `could not reach ${host}`;
}
