/** What a notification email says: pure, so its wording is tested without a mail server. */
import { hubPath } from '../hubs/hub-paths';

export interface FailedDeliveryNotice {
  deliveryId: string;
  eventName: string | null;
  statusCode: number | null;
  error: string | null;
  at: Date;
}

/** What one webhook contributes to an email. */
export interface WebhookFailures {
  /** Links name the webhook's hub: a signed-out reader signs in and lands on that very page. */
  webhook: { id: string; hubId: string; label: string };
  /** Failed deliveries listed, oldest first (at most LISTED_FAILURES, fewer in a digest). */
  failures: FailedDeliveryNotice[];
  /** All failed deliveries of this webhook the email covers (the list may be shorter). */
  failedCount: number;
  /** Set when Herald turned the webhook off since the last email. */
  disabled: { reason: string | null; at: Date } | null;
  /** For a webhook turned off with no failure of its own in this email: its latest one. */
  lastFailure: FailedDeliveryNotice | null;
}

/**
 * One email to one address: every webhook naming the address that failed since the last email to
 * it, in the order their first failure came (at most one email per address and interval).
 */
export interface EmailFacts {
  webhooks: WebhookFailures[];
  publicUrl: string;
  intervalMs: number;
  recipient: string;
}

export const LISTED_FAILURES = 20;
/** In an email about several webhooks, each lists this many of its failures. */
export const LISTED_FAILURES_PER_WEBHOOK_IN_DIGEST = 3;
/** A digest describes this many webhooks, and counts the rest. */
export const LISTED_WEBHOOKS = 50;
/** A label in a Subject is cut to this many characters. */
export const SUBJECT_LABEL_LENGTH = 60;

export interface EmailContent {
  subject: string;
  text: string;
}

/**
 * A label may hold anything a person typed: control characters (line breaks that would add header
 * lines) and invisible format characters (bidi overrides that reorder what a reader sees) become
 * spaces, and runs of spaces one.
 */
function oneLine(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A label as a Subject shows it: on one line, its own double quotes made single so it cannot close
 * the quotes around it, cut to SUBJECT_LABEL_LENGTH characters with an ellipsis, and quoted. So a
 * creator's text always reads as a quoted name, never as Herald's own words.
 */
export function subjectLabel(label: string, fallback: string): string {
  const clean = oneLine(label).replace(/["\u201C\u201D]/g, "'") || fallback;
  const characters = Array.from(clean);
  const cut =
    characters.length > SUBJECT_LABEL_LENGTH
      ? `${characters
          .slice(0, SUBJECT_LABEL_LENGTH - 1)
          .join('')
          .trimEnd()}…`
      : clean;
  return `"${cut}"`;
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

interface Links {
  publicUrl: string;
}

/** The webhook's page in its hub; signed out, the reader signs in first and lands there. */
function webhookUrl(links: Links, webhook: WebhookFailures['webhook']): string {
  return `${links.publicUrl}${hubPath(webhook.hubId, `/webhooks/${encodeURIComponent(webhook.id)}`)}`;
}

function failureBlock(links: Links, webhook: WebhookFailures['webhook'], notice: FailedDeliveryNotice): string[] {
  return [
    `  Event:     ${notice.eventName ?? 'unknown'}`,
    `  Failed at: ${utc(notice.at)}`,
    `  Response:  ${responseLine(notice)}`,
    `  Error:     ${oneLine(notice.error ?? 'none recorded')}`,
    `  Details:   ${webhookUrl(links, webhook)}/activity/${notice.deliveryId}`,
  ];
}

const countDeliveries = (count: number) => (count === 1 ? '1 delivery' : `${count} deliveries`);

/** What an email says about one webhook: turned off, and its failures with links. */
function webhookLines(links: Links, section: WebhookFailures): string[] {
  const { webhook, failedCount: count } = section;
  const label = `"${oneLine(webhook.label) || webhook.id}"`;
  const settingsUrl = webhookUrl(links, webhook);
  const lines: string[] = [];
  if (section.disabled) {
    lines.push(
      `Herald turned off the webhook ${label} at ${utc(section.disabled.at)}.`,
      '',
      oneLine(section.disabled.reason ?? 'Its endpoint kept failing.'),
      '',
      `Turn it back on once the endpoint works again: ${settingsUrl}`,
      '',
    );
    const last = section.failures.at(-1) ?? section.lastFailure;
    if (last) lines.push('The last failed delivery:', ...failureBlock(links, webhook, last), '');
  }
  if (count > 0) {
    lines.push(
      section.disabled
        ? `${countDeliveries(count)} of this webhook failed after every retry since the last email:`
        : `Herald could not deliver ${count === 1 ? 'an event' : `${count} events`} to the webhook ${label}, after every retry:`,
      '',
    );
    for (const notice of section.failures) lines.push(...failureBlock(links, webhook, notice), '');
    const unlisted = count - section.failures.length;
    if (unlisted > 0) lines.push(`…and ${unlisted} more.`, '');
    lines.push(`All failed deliveries, to look into or recover: ${settingsUrl}/activity?status=FAILED`, '');
  }
  return lines;
}

function subjectOf(facts: EmailFacts): string {
  const [only] = facts.webhooks;
  if (facts.webhooks.length === 1 && only) {
    const label = subjectLabel(only.webhook.label, only.webhook.id);
    if (only.disabled) return `Herald turned off the webhook ${label}`;
    return `Webhook ${label}: ${only.failedCount === 1 ? 'a delivery' : countDeliveries(only.failedCount)} failed`;
  }
  // Several webhooks: no label at all, only Herald's words and counts.
  const deliveries = facts.webhooks.reduce((sum, section) => sum + section.failedCount, 0);
  const disabled = facts.webhooks.filter((section) => section.disabled).length;
  return `Herald: ${facts.webhooks.length} webhooks failing (${countDeliveries(deliveries)} failed${
    disabled > 0 ? `, ${disabled} turned off` : ''
  })`;
}

export function composeEmail(facts: EmailFacts): EmailContent {
  const lines: string[] = [];
  if (facts.webhooks.length === 1) {
    for (const section of facts.webhooks) lines.push(...webhookLines(facts, section));
  } else {
    lines.push(`${facts.webhooks.length} webhooks that name this address failed since the last email:`, '');
    for (const section of facts.webhooks.slice(0, LISTED_WEBHOOKS)) {
      const label = `"${oneLine(section.webhook.label) || section.webhook.id}"`;
      lines.push(`== Webhook ${label} ==`, '', ...webhookLines(facts, section));
    }
    const unlisted = facts.webhooks.length - LISTED_WEBHOOKS;
    if (unlisted > 0) {
      lines.push(`…and ${unlisted} more webhooks. The failing ones: ${facts.publicUrl}/overview`, '');
    }
  }
  const these = facts.webhooks.length === 1 ? 'this webhook' : 'these webhooks';
  lines.push(
    '--',
    `You get this email because ${facts.recipient} is the notification address of ${these} in Herald, and was confirmed.`,
    `Herald sends at most one email to an address every ${describeInterval(facts.intervalMs)}, however many webhooks name it; what happens in between is summarised in the next one.`,
  );
  return { subject: subjectOf(facts), text: `${lines.join('\n')}\n` };
}

/** The email that asks an address to confirm it wants failure mail: nothing in it is a creator's text. */
export function composeConfirmationEmail(facts: { recipient: string; link: string; publicUrl: string }): EmailContent {
  return {
    subject: 'Herald: confirm failure notifications to this address',
    text: [
      `A webhook in Herald (${facts.publicUrl}) names ${facts.recipient} as the address to tell when its deliveries fail.`,
      '',
      'Herald sends nothing more to this address until you confirm you want these emails. To confirm, open',
      'this link and press "Confirm" (the link works once, for 7 days):',
      '',
      facts.link,
      '',
      'If you did not expect this, ignore this email: Herald will not mail this address again unless a webhook',
      'names it again, and then at most once a day.',
    ].join('\n'),
  };
}
