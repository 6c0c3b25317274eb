import type { Agent } from 'undici';
import { envelopeJson } from '../events/envelope';
import { send } from '../outbound/http-client';
import type { AttemptResult, ClaimedDelivery, RenderedRequest } from '../outbox/types';
import { renderRequest } from '../templates/render-request';
import { buildHeaders } from './request-headers';
import { nextRetry, parseRetryAfter } from './retry-policy';
import { activeSecrets, type DeliveryConfig } from './webhook-config';

export interface AttemptSettings {
  agent: Agent;
  timeoutMs: number;
  schedule: readonly number[];
}

/** One try at one delivery: render (first attempt only), sign, send, and decide what happens next. */
export async function attemptDelivery(
  claimed: ClaimedDelivery,
  config: DeliveryConfig | undefined,
  settings: AttemptSettings,
): Promise<AttemptResult> {
  const startedAt = new Date();
  const base = {
    deliveryId: claimed.id,
    webhookId: claimed.webhookId,
    attemptCount: claimed.attemptCount,
    chain: claimed.chain,
    startedAt,
    payloadTemplate: config?.payloadTemplate ?? null,
    urlTemplate: config?.urlTemplate ?? null,
    responseStatus: null,
    responseHeaders: null,
    responseBody: null,
    responseBodyTruncated: false,
    gone: false,
    sent: false,
  };
  const fail = (error: string, rendered: AttemptResult['rendered'] = null): AttemptResult => ({
    ...base,
    outcome: 'FAILED',
    nextAttemptAt: null,
    rendered,
    durationMs: Date.now() - startedAt.getTime(),
    requestHeaders: {},
    error,
  });

  if (!config) return fail('Not sent: the webhook no longer exists');
  const retryLater = (error: string): AttemptResult => {
    const decision = nextRetry(claimed.attemptCount, settings.schedule, null);
    return decision.retry
      ? { ...fail(error), outcome: 'RETRYING', nextAttemptAt: new Date(Date.now() + decision.delayMs) }
      : fail(`${error}; no retries left`);
  };
  if (!claimed.webhook.active) {
    return fail(
      `Not sent: the webhook is turned off${claimed.webhook.disabledReason ? ` (${claimed.webhook.disabledReason})` : ''}`,
    );
  }
  // Retried on the schedule like an unreachable endpoint: restoring the right key recovers them.
  if (!config.sealed.ok) return retryLater(`Not sent: ${config.sealed.error}`);
  const sealed = config.sealed;

  const envelope = () => envelopeJson({ ...claimed.event, resource: claimed.hubId }, claimed.event.payloadJson ?? '{}');
  // A kept URL means the request was rendered before; a kept URL without a kept body means it
  // was rendered with the standard envelope, rebuilt here the same.
  let request =
    claimed.requestUrl === null
      ? null
      : {
          method: claimed.requestMethod ?? config.method,
          url: claimed.requestUrl,
          body: claimed.requestBody ?? envelope(),
        };
  let rendered: RenderedRequest | null = null;
  if (!request) {
    const result = await renderRequest({
      hubId: claimed.hubId,
      urlTemplate: config.urlTemplate,
      payloadTemplate: config.payloadTemplate,
      envelope: envelope(),
      webhookId: claimed.webhookId,
    });
    if (!result.ok) {
      // Content the template needs could not be fetched: try again later, like a failed send.
      return result.retryable ? retryLater(result.error) : fail(result.error);
    }
    const kept = { method: config.method, url: result.url, body: config.payloadTemplate === null ? null : result.body };
    const unsendable = unsendableReason(result.url, result.body);
    if (unsendable) return fail(`Not sent: ${unsendable}`, kept);
    request = { method: config.method, url: result.url, body: result.body };
    rendered = kept;
  }
  const { method, url, body } = request;

  const { headers, masked } = buildHeaders(claimed.id, body, sealed.headers, activeSecrets(sealed));
  const response = await send(settings.agent, { method, url, headers, body, timeoutMs: settings.timeoutMs });

  const common = { ...base, sent: true, rendered, durationMs: response.durationMs, requestHeaders: masked };
  if (response.ok && response.status >= 200 && response.status < 300) {
    return {
      ...common,
      outcome: 'DELIVERED',
      nextAttemptAt: null,
      responseStatus: response.status,
      responseHeaders: response.headers,
      responseBody: response.body,
      responseBodyTruncated: response.truncated,
      error: null,
    };
  }

  const error = response.ok ? describeStatus(response.status, response.headers) : response.error;
  const responseFields = response.ok
    ? {
        responseStatus: response.status,
        responseHeaders: response.headers,
        responseBody: response.body,
        responseBodyTruncated: response.truncated,
      }
    : {};
  if (response.ok && response.status === 410) {
    return { ...common, ...responseFields, outcome: 'FAILED', nextAttemptAt: null, error, gone: true };
  }
  const retryAfter = response.ok ? parseRetryAfter(response.headers['retry-after']) : null;
  const decision = nextRetry(claimed.attemptCount, settings.schedule, retryAfter);
  return {
    ...common,
    ...responseFields,
    outcome: decision.retry ? 'RETRYING' : 'FAILED',
    nextAttemptAt: decision.retry ? new Date(Date.now() + decision.delayMs) : null,
    error: decision.retry ? error : `${error}; no retries left`,
  };
}

/**
 * The outcome of an attempt that threw (a bug, or anything unforeseen while rendering, signing or
 * sending): retried on the schedule like a failed send, then FAILED, so the delivery ends instead
 * of being claimed again every lease. Nothing is known to have gone out.
 */
export function internalErrorResult(
  claimed: ClaimedDelivery,
  settings: AttemptSettings,
  error: unknown,
): AttemptResult {
  const message = `internal error: ${error instanceof Error ? error.message : String(error)}`.slice(0, 1000);
  const decision = nextRetry(claimed.attemptCount, settings.schedule, null);
  return {
    deliveryId: claimed.id,
    webhookId: claimed.webhookId,
    attemptCount: claimed.attemptCount,
    chain: claimed.chain,
    outcome: decision.retry ? 'RETRYING' : 'FAILED',
    nextAttemptAt: decision.retry ? new Date(Date.now() + decision.delayMs) : null,
    rendered: null,
    payloadTemplate: null,
    urlTemplate: null,
    startedAt: new Date(),
    durationMs: 0,
    requestHeaders: {},
    responseStatus: null,
    responseHeaders: null,
    responseBody: null,
    responseBodyTruncated: false,
    error: decision.retry ? message : `${message}; no retries left`,
    gone: false,
    sent: false,
  };
}

function describeStatus(status: number, headers: Record<string, string>): string {
  if (status >= 300 && status < 400) {
    return `HTTP ${status}: redirects are not followed${headers.location ? ` (Location: ${headers.location})` : ''}`;
  }
  if (status === 410) return 'HTTP 410 Gone: the webhook was turned off';
  return `HTTP ${status}`;
}

/**
 * What a rendered request cannot carry: NUL in the body could never be shown in the activity log
 * as sent (PostgreSQL text refuses it), and a URL with control characters is not a URL.
 */
function unsendableReason(url: string, body: string): string | null {
  const nul = body.indexOf('\u0000');
  if (nul >= 0) return `the rendered payload contains the character U+0000 (at position ${nul}); check the template`;
  if (/\p{Cc}/u.test(url)) return 'the rendered URL contains control characters; check the URL template';
  return null;
}
