import { describe, expect, it } from 'vitest';
import { composeEmail, describeInterval, type EmailFacts } from '../../../lib/notifications/email-content';
import { messageId } from '../../../lib/notifications/mailer';

const base: EmailFacts = {
  webhook: { id: 'wh1', hubId: 'hub1', label: 'Search index' },
  failures: [],
  failedCount: 0,
  disabled: null,
  lastFailure: null,
  publicUrl: 'https://herald.example.com',
  intervalMs: 3_600_000,
  recipient: 'ops@example.com',
};

const failure = (n: number) => ({
  deliveryId: `d${n}`,
  eventName: 'dynamic-content.content-item.updated',
  statusCode: 503,
  error: 'HTTP 503; no retries left',
  at: new Date(Date.UTC(2026, 10, 23, 12, 0, n)),
});

describe('notification email content', () => {
  it('one failed delivery: label, event, response, error and a link to the delivery', () => {
    const { subject, text } = composeEmail({ ...base, failures: [failure(1)], failedCount: 1 });
    expect(subject).toBe('Webhook "Search index": a delivery failed');
    expect(text).toContain('to the webhook "Search index"');
    expect(text).toContain('Event:     dynamic-content.content-item.updated');
    expect(text).toContain('Response:  HTTP 503');
    expect(text).toContain('Error:     HTTP 503; no retries left');
    expect(text).toContain('Failed at: 2026-11-23 12:00:01 UTC');
    expect(text).toContain('https://herald.example.com/hubs/hub1/webhooks/wh1/activity/d1');
    expect(text).toContain('at most one email per webhook every 1 hour');
  });

  it('summarises many failures, listing some and counting the rest', () => {
    const { subject, text } = composeEmail({ ...base, failures: [failure(1), failure(2)], failedCount: 25 });
    expect(subject).toBe('Webhook "Search index": 25 deliveries failed');
    expect(text).toContain('…and 23 more.');
    expect(text).toContain('https://herald.example.com/hubs/hub1/webhooks/wh1/activity?status=FAILED');
  });

  it('says when Herald turned the webhook off, with the last failure', () => {
    const { subject, text } = composeEmail({
      ...base,
      disabled: { reason: 'The endpoint answered 410 Gone, so Herald turned this webhook off.', at: new Date(0) },
      lastFailure: { ...failure(3), statusCode: 410, error: 'HTTP 410 Gone: the webhook was turned off' },
    });
    expect(subject).toBe('Herald turned off the webhook "Search index"');
    expect(text).toContain('The endpoint answered 410 Gone');
    expect(text).toContain('Response:  HTTP 410');
    expect(text).toContain('https://herald.example.com/hubs/hub1/webhooks/wh1/activity/d3');
    expect(text).not.toContain('after every retry since');
  });

  it('keeps control characters of a label out of the subject', () => {
    const { subject } = composeEmail({
      ...base,
      webhook: { id: 'wh1', hubId: 'hub1', label: 'a\r\nBcc: x@y' },
      failedCount: 1,
    });
    expect(subject).toBe('Webhook "a Bcc: x@y": a delivery failed');
  });

  it('words intervals and builds a stable Message-ID', () => {
    expect(describeInterval(3_600_000)).toBe('1 hour');
    expect(describeInterval(90_000)).toBe('90 seconds');
    expect(describeInterval(2 * 86_400_000)).toBe('2 days');
    expect(messageId('abc', 'https://herald.example.com/x')).toBe('<notification-abc@herald.example.com>');
  });
});
