import { envelopeJson } from '../events/envelope';
import { previousPayloadJson } from '../key-history/previous-payload';
import type { ClaimedDelivery, RenderedRequest } from '../outbox/types';
import { renderRequest } from '../templates/render-request';
import { buildHeaders } from './request-headers';
import { activeSecrets, type DeliveryConfig } from './webhook-config';

/** A request ready to send, or why it cannot be sent this time. */
export type PreparedRequest =
  | {
      ok: true;
      method: string;
      url: string;
      body: string;
      headers: Record<string, string>;
      /** The headers as the activity log shows them (secret values masked). */
      masked: Record<string, string>;
      /** Set when this attempt rendered the request (the first one); null when it was kept from before. */
      rendered: RenderedRequest | null;
    }
  | {
      ok: false;
      error: string;
      /** True when a later attempt may succeed (an unreadable secret, content not fetched yet). */
      retryable: boolean;
      /** The rendered request when rendering succeeded but the result cannot be sent. */
      rendered: RenderedRequest | null;
    };

const notSent = (error: string, retryable: boolean, rendered: RenderedRequest | null = null): PreparedRequest => ({
  ok: false,
  error,
  retryable,
  rendered,
});

/**
 * Everything before the send: the webhook still exists and is on, its secrets decrypt, the request
 * is rendered (first attempt only; later attempts reuse what was stored), and signed. `traceparent`
 * is the attempt's W3C trace context, sent as a header (null: none).
 */
export async function prepareRequest(
  claimed: ClaimedDelivery,
  config: DeliveryConfig | undefined,
  traceparent: string | null = null,
): Promise<PreparedRequest> {
  if (!config) return notSent('Not sent: the webhook no longer exists', false);
  if (!claimed.webhook.active) {
    const reason = claimed.webhook.disabledReason ? ` (${claimed.webhook.disabledReason})` : '';
    return notSent(`Not sent: the webhook is turned off${reason}`, false);
  }
  // Retried on the schedule like an unreachable endpoint: restoring the right key recovers them.
  if (!config.sealed.ok) return notSent(`Not sent: ${config.sealed.error}`, true);
  const sealed = config.sealed;

  const envelope = () => envelopeJson({ ...claimed.event, resource: claimed.hubId }, claimed.event.payloadJson ?? '{}');
  let request: { method: string; url: string; body: string };
  let rendered: RenderedRequest | null = null;
  if (claimed.requestUrl !== null) {
    // A kept URL means the request was rendered before; a kept URL without a kept body means it
    // was rendered with the standard envelope, rebuilt here the same.
    request = {
      method: claimed.requestMethod ?? config.method,
      url: claimed.requestUrl,
      body: claimed.requestBody ?? envelope(),
    };
  } else {
    const result = await renderRequest({
      hubId: claimed.hubId,
      urlTemplate: config.urlTemplate,
      payloadTemplate: config.payloadTemplate,
      envelope: envelope(),
      webhookId: claimed.webhookId,
      // By the event's own pointer: right however late this render runs (lib/key-history).
      previousPayload: () => previousPayloadJson(claimed.event.id, claimed.hubId),
    });
    // Content the template needs could not be fetched: try again later, like a failed send.
    if (!result.ok) return notSent(result.error, result.retryable === true);
    const kept = { method: config.method, url: result.url, body: config.payloadTemplate === null ? null : result.body };
    const unsendable = unsendableReason(result.url, result.body);
    if (unsendable) return notSent(`Not sent: ${unsendable}`, false, kept);
    request = { method: config.method, url: result.url, body: result.body };
    rendered = kept;
  }
  const { headers, masked } = buildHeaders(
    claimed.id,
    request.body,
    sealed.headers,
    activeSecrets(sealed),
    undefined,
    traceparent,
  );
  return { ok: true, ...request, headers, masked, rendered };
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
