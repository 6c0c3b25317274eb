import type { Agent } from 'undici';
import { renderRequest } from '../templates/render-request';
import { send } from './http-client';
import type { AttemptResult, ClaimedDelivery } from './outbox';
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
    requestHeaders: rendered?.headers ?? {},
    error,
  });

  if (!config) return fail('Not sent: the webhook no longer exists');
  if (!claimed.webhook.active) {
    return fail(
      `Not sent: the webhook is turned off${claimed.webhook.disabledReason ? ` (${claimed.webhook.disabledReason})` : ''}`,
    );
  }

  let method = claimed.requestMethod ?? config.method;
  let url = claimed.requestUrl;
  let body = claimed.requestBody;
  let renderedNow = false;
  if (url === null || body === null) {
    const rendered = await renderRequest({
      hubId: claimed.hubId,
      urlTemplate: config.urlTemplate,
      payloadTemplate: config.payloadTemplate,
      envelope: envelopeJson(claimed),
    });
    if (!rendered.ok) {
      if (!rendered.retryable) return fail(rendered.error);
      // Content the template needs could not be fetched: try again later, like a failed send.
      const decision = nextRetry(claimed.attemptCount, settings.schedule, null);
      return decision.retry
        ? { ...fail(rendered.error), outcome: 'RETRYING', nextAttemptAt: new Date(Date.now() + decision.delayMs) }
        : fail(`${rendered.error}; no retries left`);
    }
    method = config.method;
    url = rendered.url;
    body = rendered.body;
    renderedNow = true;
  }

  const { headers, masked } = buildHeaders(claimed.id, body, config.headers, activeSecrets(config));
  const rendered = renderedNow ? { method, url, headers: masked, body } : null;
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

function describeStatus(status: number, headers: Record<string, string>): string {
  if (status >= 300 && status < 400) {
    return `HTTP ${status}: redirects are not followed${headers.location ? ` (Location: ${headers.location})` : ''}`;
  }
  if (status === 410) return 'HTTP 410 Gone: the webhook was turned off';
  return `HTTP ${status}`;
}

/**
 * The standard envelope as JSON text, built around the payload's stored text: the same bytes
 * JSON.stringify would give for `{ sequenceId, id, name, requestId, resource, payload }`, without
 * parsing the payload here.
 */
function envelopeJson(claimed: ClaimedDelivery): string {
  const { event } = claimed;
  return (
    `{"sequenceId":${event.sequenceId},"id":${JSON.stringify(event.id)},"name":${JSON.stringify(event.name)},` +
    `"requestId":${JSON.stringify(event.requestId)},"resource":${JSON.stringify(claimed.hubId)},` +
    `"payload":${event.payloadJson ?? '{}'}}`
  );
}
