import { createHmac } from 'node:crypto';

/** `X-Amplience-Webhook-Signature`: base64 HMAC-SHA256 of the body, as dc-management-sdk-js's WebhookSignature.calculate. */
export function amplienceSignature(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

/**
 * Standard Webhooks `webhook-signature`: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` for each
 * active secret, space-separated. The key is the secret's UTF-8 bytes, so a receiver verifies with
 * `whsec_` + base64(secret).
 */
export function standardWebhookSignature(
  id: string,
  timestampSeconds: number,
  body: string,
  secrets: string[],
): string {
  const content = `${id}.${timestampSeconds}.${body}`;
  return secrets
    .map((secret) => `v1,${createHmac('sha256', secret).update(content, 'utf8').digest('base64')}`)
    .join(' ');
}

/** The receiver-side secret a Standard Webhooks library expects for a Herald secret. */
export function standardWebhookSecret(secret: string): string {
  return `whsec_${Buffer.from(secret, 'utf8').toString('base64')}`;
}
