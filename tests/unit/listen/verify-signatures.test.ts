import { describe, expect, it } from 'vitest';
import { verifySignatures } from '../../../lib/listen/verify-signatures';
import { amplienceSignature, standardWebhookSignature } from '../../../lib/signing/signatures';

const BODY = '{"name":"dynamic-content.snapshot.published","payload":{}}';
const ID = '01a234f6-73e6-7086-b03a-b1dcd65856ff';
const NOW = 1_800_000_000;

function signed(secretForAmplience: string, standardSecrets: string[], timestamp = NOW) {
  return {
    body: BODY,
    amplienceSignature: amplienceSignature(BODY, secretForAmplience),
    webhookId: ID,
    webhookTimestamp: String(timestamp),
    webhookSignature: standardWebhookSignature(ID, timestamp, BODY, standardSecrets),
  };
}

describe('verifySignatures', () => {
  it('verifies both signatures made with the secret', () => {
    expect(verifySignatures(signed('s1', ['s1']), ['s1'], NOW)).toEqual({ amplience: null, standard: null });
  });

  it('accepts a request signed during a rotation with either secret', () => {
    expect(verifySignatures(signed('new', ['new', 'old']), ['old'], NOW).standard).toBeNull();
    expect(verifySignatures(signed('new', ['new', 'old']), ['new', 'old'], NOW)).toEqual({
      amplience: null,
      standard: null,
    });
  });

  it('says which signature fails, and why', () => {
    expect(verifySignatures(signed('s1', ['s1']), ['other'], NOW)).toEqual({
      amplience: "X-Amplience-Webhook-Signature does not match the webhook's secret",
      standard: "webhook-signature does not match the webhook's secret",
    });
    expect(verifySignatures({ ...signed('s1', ['s1']), body: `${BODY} ` }, ['s1'], NOW).amplience).not.toBeNull();
    expect(verifySignatures(signed('s1', ['s1'], NOW - 600), ['s1'], NOW).standard).toBe(
      'webhook-timestamp is 600 s from now (more than 300 s)',
    );
    expect(verifySignatures({ ...signed('s1', ['s1']), webhookTimestamp: 'soon' }, ['s1'], NOW).standard).toBe(
      'webhook-timestamp "soon" is not seconds since 1970',
    );
  });
});
