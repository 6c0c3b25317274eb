import { hubPath } from '../hubs/hub-paths';

/** What a notification email says: pure, so its wording is tested without a mail server. */

export interface FailedDeliveryNotice {
  deliveryId: string;
  eventName: string | null;
  statusCode: number | null;
  error: string | null;
  at: Date;
}

export interface EmailFacts {
  /** Links name the webhook's hub: a signed-out reader signs in and lands on that very page. */
  webhook: { id: string; hubId: string; label: string };
  /** Failed deliveries in this email, oldest first, at most LISTED_FAILURES of them. */
  failures: FailedDeliveryNotice[];
  /** All failed deliveries this email covers (the list may be shorter). */
  failedCount: number;
  /** Set when Herald turned the webhook off since the last email. */
  disabled: { reason: string | null; at: Date } | null;
  /** For an email about the webhook turned off with no failure of its own: the latest one. */
  lastFailure: FailedDeliveryNotice | null;
  publicUrl: string;
  intervalMs: number;
  recipient: string;
}

export const LISTED_FAILURES = 20;

export interface EmailContent {
  subject: string;
  text: string;
}

/** A label may hold anything a person typed; a subject line holds no control characters. */
function oneLine(text: string): string {
  return text.replace(/\p{Cc}+/gu, ' ').trim();
}

function utc(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function describeInterval(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const count = ms / size;
      return count === 1 ? `1 ${name}` : `${count} ${name}s`;
    }
  }
  return `${ms} ms`;
}

function responseLine(notice: FailedDeliveryNotice): string {
  if (notice.statusCode !== null) return `HTTP ${notice.statusCode}`;
  return 'no response';
}

/** The webhook's page in its hub; signed out, the reader signs in first and lands there. */
function webhookUrl(facts: EmailFacts): string {
  return `${facts.publicUrl}${hubPath(facts.webhook.hubId, `/webhooks/${encodeURIComponent(facts.webhook.id)}`)}`;
}

function failureBlock(facts: EmailFacts, notice: FailedDeliveryNotice): string[] {
  return [
    `  Event:     ${notice.eventName ?? 'unknown'}`,
    `  Failed at: ${utc(notice.at)}`,
    `  Response:  ${responseLine(notice)}`,
    `  Error:     ${oneLine(notice.error ?? 'none recorded')}`,
    `  Details:   ${webhookUrl(facts)}/activity/${notice.deliveryId}`,
  ];
}

export function composeEmail(facts: EmailFacts): EmailContent {
  const label = oneLine(facts.webhook.label) || facts.webhook.id;
  const settingsUrl = webhookUrl(facts);
  const failedUrl = `${settingsUrl}/activity?status=FAILED`;
  const count = facts.failedCount;
  const deliveries = count === 1 ? '1 delivery' : `${count} deliveries`;

  const subject = facts.disabled
    ? `Herald turned off the webhook "${label}"`
    : `Webhook "${label}": ${count === 1 ? 'a delivery' : deliveries} failed`;

  const lines: string[] = [];
  if (facts.disabled) {
    lines.push(
      `Herald turned off the webhook "${label}" at ${utc(facts.disabled.at)}.`,
      '',
      oneLine(facts.disabled.reason ?? 'Its endpoint kept failing.'),
      '',
      `Turn it back on once the endpoint works again: ${settingsUrl}`,
      '',
    );
    const last = facts.failures.at(-1) ?? facts.lastFailure;
    if (last) lines.push('The last failed delivery:', ...failureBlock(facts, last), '');
  }
  if (count > 0) {
    lines.push(
      facts.disabled
        ? `${deliveries} of this webhook failed after every retry since the last email:`
        : `Herald could not deliver ${count === 1 ? 'an event' : `${count} events`} to the webhook "${label}", after every retry:`,
      '',
    );
    for (const notice of facts.failures) lines.push(...failureBlock(facts, notice), '');
    const unlisted = count - facts.failures.length;
    if (unlisted > 0) lines.push(`…and ${unlisted} more.`, '');
    lines.push(`All failed deliveries, to look into or recover: ${failedUrl}`, '');
  }
  lines.push(
    '--',
    `You get this email because ${facts.recipient} is the notification address of this webhook in Herald.`,
    `Herald sends at most one email per webhook every ${describeInterval(facts.intervalMs)}; what happens in between is summarised in the next one.`,
  );
  return { subject, text: `${lines.join('\n')}\n` };
}
