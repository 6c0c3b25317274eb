import { describe, expect, it } from 'vitest';
import {
  composeConfirmationEmail,
  composeEmail,
  describeInterval,
  type EmailFacts,
  subjectLabel,
  type WebhookFailures,
} from '../../../lib/notifications/email-content';
import { messageId } from '../../../lib/notifications/mailer';

const section: WebhookFailures = {
  webhook: { id: 'wh1', hubId: 'hub1', label: 'Search index' },
  failures: [],
  failedCount: 0,
  disabled: null,
  lastFailure: null,
};

/** An email about one webhook. */
const email = (part: Partial<WebhookFailures>): EmailFacts => ({
  webhooks: [{ ...section, ...part }],
  publicUrl: 'https://herald.example.com',
  intervalMs: 3_600_000,
  recipient: 'ops@example.com',
});

const failure = (n: number) => ({
  deliveryId: `d${n}`,
  eventName: 'dynamic-content.content-item.updated',
  statusCode: 503,
  error: 'HTTP 503; no retries left',
  at: new Date(Date.UTC(2026, 10, 23, 12, 0, n)),
});

describe('notification email content', () => {
  it('one failed delivery: label, event, response, error and a link to the delivery', () => {
    const { subject, text } = composeEmail(email({ failures: [failure(1)], failedCount: 1 }));
    expect(subject).toBe('Webhook "Search index": a delivery failed');
    expect(text).toContain('to the webhook "Search index"');
    expect(text).toContain('Event:     dynamic-content.content-item.updated');
    expect(text).toContain('Response:  HTTP 503');
    expect(text).toContain('Error:     HTTP 503; no retries left');
    expect(text).toContain('Failed at: 2026-11-23 12:00:01 UTC');
    expect(text).toContain('https://herald.example.com/hubs/hub1/webhooks/wh1/activity/d1');
    expect(text).toContain('at most one email to an address every 1 hour, however many webhooks name it');
  });

  it('summarises many failures, listing some and counting the rest', () => {
    const { subject, text } = composeEmail(email({ failures: [failure(1), failure(2)], failedCount: 25 }));
    expect(subject).toBe('Webhook "Search index": 25 deliveries failed');
    expect(text).toContain('…and 23 more.');
    expect(text).toContain('https://herald.example.com/hubs/hub1/webhooks/wh1/activity?status=FAILED');
  });

  it('says when Herald turned the webhook off, with the last failure', () => {
    const { subject, text } = composeEmail(
      email({
        disabled: { reason: 'The endpoint answered 410 Gone, so Herald turned this webhook off.', at: new Date(0) },
        lastFailure: { ...failure(3), statusCode: 410, error: 'HTTP 410 Gone: the webhook was turned off' },
      }),
    );
    expect(subject).toBe('Herald turned off the webhook "Search index"');
    expect(text).toContain('The endpoint answered 410 Gone');
    expect(text).toContain('Response:  HTTP 410');
    expect(text).toContain('https://herald.example.com/hubs/hub1/webhooks/wh1/activity/d3');
    expect(text).not.toContain('after every retry since');
  });

  it('keeps control characters of a label out of the subject', () => {
    const { subject } = composeEmail(
      email({ webhook: { id: 'wh1', hubId: 'hub1', label: 'a\r\nBcc: x@y' }, failedCount: 1 }),
    );
    expect(subject).toBe('Webhook "a Bcc: x@y": a delivery failed');
  });

  it('quotes a label in the subject, trimmed to 60 characters, so it cannot pose as Herald’s own words', () => {
    const posing = 'x": Herald security alert: reset your password at https://evil.example.com/reset now please';
    const { subject } = composeEmail(email({ webhook: { id: 'wh1', hubId: 'hub1', label: posing }, failedCount: 1 }));
    expect(subject).toBe(`Webhook "x': Herald security alert: reset your password at https://e…": a delivery failed`);
    const quoted = subject.slice('Webhook '.length, subject.lastIndexOf(': a delivery failed'));
    expect(Array.from(quoted.slice(1, -1))).toHaveLength(60);
    expect(quoted.slice(1, -1)).not.toContain('"');
    // Bidi overrides and other invisible format characters go too; a label of nothing but them falls back to the id.
    expect(subjectLabel('a\u202Egnp.exe\u202C b', 'wh1')).toBe('"a gnp.exe b"');
    expect(subjectLabel('\u0007\u200B', 'wh1')).toBe('"wh1"');
    expect(subjectLabel('😀'.repeat(70), 'wh1')).toBe(`"${'😀'.repeat(59)}…"`);
  });

  it('one email about several webhooks: counts in the subject, no label there, each webhook in the body', () => {
    const facts: EmailFacts = {
      webhooks: [
        { ...section, failures: [failure(1)], failedCount: 1 },
        {
          ...section,
          webhook: { id: 'wh2', hubId: 'hub1', label: 'Cache purge' },
          failures: [failure(2)],
          failedCount: 4,
        },
        {
          ...section,
          webhook: { id: 'wh3', hubId: 'hub1', label: 'Gone' },
          disabled: { reason: 'The endpoint answered 410 Gone.', at: new Date(0) },
        },
      ],
      publicUrl: 'https://herald.example.com',
      intervalMs: 3_600_000,
      recipient: 'ops@example.com',
    };
    const { subject, text } = composeEmail(facts);
    expect(subject).toBe('Herald: 3 webhooks failing (5 deliveries failed, 1 turned off)');
    expect(text).toContain('== Webhook "Search index" ==');
    expect(text).toContain('== Webhook "Cache purge" ==');
    expect(text).toContain('Herald turned off the webhook "Gone"');
    expect(text).toContain('https://herald.example.com/hubs/hub1/webhooks/wh2/activity/d2');
    expect(text).toContain('…and 3 more.');
    expect(text).toContain('the notification address of these webhooks');
  });

  it('a confirmation email holds the link and nothing a webhook’s creator wrote', () => {
    const { subject, text } = composeConfirmationEmail({
      recipient: 'ops@example.com',
      link: 'https://herald.example.com/confirm-email/abc',
      publicUrl: 'https://herald.example.com',
    });
    expect(subject).toBe('Herald: confirm failure notifications to this address');
    expect(text).toContain('https://herald.example.com/confirm-email/abc');
    expect(text).toContain('names ops@example.com');
  });

  it('words intervals and builds a stable Message-ID', () => {
    expect(describeInterval(3_600_000)).toBe('1 hour');
    expect(describeInterval(90_000)).toBe('90 seconds');
    expect(describeInterval(2 * 86_400_000)).toBe('2 days');
    expect(messageId('abc', 'https://herald.example.com/x')).toBe('<notification-abc@herald.example.com>');
  });
});
