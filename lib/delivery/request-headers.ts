import { amplienceSignature, standardWebhookSignature } from '../signing/signatures';
import { HERALD_VERSION } from '../version';
import { STANDARD_HEADER_NAMES as H } from '../webhooks/standard-headers';

export const MASK = '********';
const TRACEPARENT = 'traceparent';

export interface HeaderSpec {
  key: string;
  value: string;
  secret: boolean;
}

export interface SigningSecrets {
  current: string;
  /** Still valid after a rotation, until its grace period ends. */
  previous: string | null;
}

export interface SignedHeaders {
  /** What goes on the wire. */
  headers: Record<string, string>;
  /** What the activity log keeps: secret header values replaced by `********`. */
  masked: Record<string, string>;
}

/**
 * Every request's headers: the standard ones (both signatures included), then the webhook's
 * custom ones, of which only Content-Type may replace a standard header; last the W3C
 * `traceparent` (lib/tracing), unless a custom header already sets one. It is not signed: a
 * receiver's tracing reads it, its signature check never does.
 */
export function buildHeaders(
  deliveryId: string,
  body: string,
  custom: readonly HeaderSpec[],
  secrets: SigningSecrets,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
  traceparent: string | null = null,
): SignedHeaders {
  const signingSecrets = secrets.previous ? [secrets.current, secrets.previous] : [secrets.current];
  const standard: [string, string][] = [
    [H.amplienceSignature, amplienceSignature(body, secrets.current)],
    [H.contentType, 'application/json'],
    [H.userAgent, `Herald-Webhook/${HERALD_VERSION}`],
    [H.contentLength, String(Buffer.byteLength(body, 'utf8'))],
    [H.webhookId, deliveryId],
    [H.webhookTimestamp, String(timestampSeconds)],
    [H.webhookSignature, standardWebhookSignature(deliveryId, timestampSeconds, body, signingSecrets)],
  ];
  const headers: Record<string, string> = {};
  const masked: Record<string, string> = {};
  for (const [key, value] of standard) {
    headers[key] = value;
    masked[key] = value;
  }
  for (const header of custom) {
    if (header.key.toLowerCase() === H.contentType.toLowerCase()) {
      delete headers[H.contentType];
      delete masked[H.contentType];
    }
    headers[header.key] = header.value;
    masked[header.key] = header.secret ? MASK : header.value;
  }
  if (traceparent !== null && !custom.some((header) => header.key.toLowerCase() === TRACEPARENT)) {
    headers[TRACEPARENT] = traceparent;
    masked[TRACEPARENT] = traceparent;
  }
  return { headers, masked };
}
