import { WebhookSignature } from 'dc-management-sdk-js';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { buildHeaders, MASK } from '../../lib/delivery/request-headers';
import { amplienceSignature, standardWebhookSecret } from '../../lib/signing/signatures';

describe('signatures', () => {
  const body = JSON.stringify({ name: 'dynamic-content.edition.scheduled', payload: { id: 'é✓' } });
  const secret = 'a'.repeat(64) + 'Z'.repeat(64);

  it('X-Amplience-Webhook-Signature is what the SDK computes', async () => {
    expect(amplienceSignature(body, secret)).toBe(await WebhookSignature.calculate(Buffer.from(body), secret));
  });

  it('webhook-signature verifies with the standardwebhooks library and masks secret headers', () => {
    const { headers, masked } = buildHeaders(
      'msg_1',
      body,
      [
        { key: 'X-Key', value: 'hidden', secret: true },
        { key: 'X-Plain', value: 'shown', secret: false },
      ],
      { current: secret, previous: null },
    );
    const verified = new Webhook(standardWebhookSecret(secret)).verify(body, {
      'webhook-id': headers['webhook-id'] as string,
      'webhook-timestamp': headers['webhook-timestamp'] as string,
      'webhook-signature': headers['webhook-signature'] as string,
    });
    expect(verified).toEqual(JSON.parse(body));
    expect(headers['X-Key']).toBe('hidden');
    expect(masked['X-Key']).toBe(MASK);
    expect(masked['X-Plain']).toBe('shown');
  });
});
