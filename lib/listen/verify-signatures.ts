import { timingSafeEqual } from 'node:crypto';
import { amplienceSignature, standardWebhookSignature } from '../signing/signatures';

/** Standard Webhooks' default: a timestamp further than this from now is a replay, not a delivery. */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export interface SignedRequest {
  body: string;
  amplienceSignature: string | undefined;
  webhookId: string | undefined;
  webhookTimestamp: string | undefined;
  webhookSignature: string | undefined;
}

/** Each signature's verdict: null when it verifies, else why not. */
export interface SignatureVerdicts {
  amplience: string | null;
  standard: string | null;
}

/**
 * Checks both signatures Herald sends against a webhook's secrets (the current one, and the
 * previous one during its grace period): a receiver accepting either secret rolls over with them.
 */
export function verifySignatures(
  request: SignedRequest,
  secrets: readonly string[],
  nowSeconds: number = Math.floor(Date.now() / 1000),
): SignatureVerdicts {
  return { amplience: verifyAmplience(request, secrets), standard: verifyStandard(request, secrets, nowSeconds) };
}

function verifyAmplience(request: SignedRequest, secrets: readonly string[]): string | null {
  const given = request.amplienceSignature;
  if (!given) return 'X-Amplience-Webhook-Signature is missing';
  return secrets.some((secret) => sameText(amplienceSignature(request.body, secret), given))
    ? null
    : "X-Amplience-Webhook-Signature does not match the webhook's secret";
}

function verifyStandard(request: SignedRequest, secrets: readonly string[], nowSeconds: number): string | null {
  const { webhookId, webhookTimestamp, webhookSignature } = request;
  if (!webhookId || !webhookTimestamp || !webhookSignature) {
    return 'webhook-id, webhook-timestamp or webhook-signature is missing';
  }
  const timestamp = Number(webhookTimestamp);
  if (!/^\d+$/.test(webhookTimestamp) || !Number.isSafeInteger(timestamp)) {
    return `webhook-timestamp "${webhookTimestamp.slice(0, 40)}" is not seconds since 1970`;
  }
  if (Math.abs(nowSeconds - timestamp) > TIMESTAMP_TOLERANCE_SECONDS) {
    return `webhook-timestamp is ${nowSeconds - timestamp} s from now (more than ${TIMESTAMP_TOLERANCE_SECONDS} s)`;
  }
  // One `v1,<base64>` entry per secret that signed; any of them made with one of ours will do.
  const given = webhookSignature.split(' ').filter(Boolean);
  const matches = secrets.some((secret) => {
    const expected = standardWebhookSignature(webhookId, timestamp, request.body, [secret]);
    return given.some((entry) => sameText(entry, expected));
  });
  return matches ? null : "webhook-signature does not match the webhook's secret";
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
