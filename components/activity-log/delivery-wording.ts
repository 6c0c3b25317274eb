import type { DeliveryStatus } from '@/lib/activity-log/read-deliveries';

/** What a delivery's filter verdict means, said only as far as it is true (plain data in, text out). */
export interface VerdictInput {
  status: DeliveryStatus;
  matched: boolean;
  /** Whether a request was rendered (null when the templates failed or no attempt ran yet). */
  rendered: boolean;
  lastError: string | null;
}

/**
 * The line under "Filters". Matching filters do not mean the webhook was sent: a template can fail
 * to render (then nothing went out), and a queued delivery has not been attempted yet.
 */
export function filterVerdict(delivery: VerdictInput): string {
  if (!delivery.matched || delivery.status === 'FILTERED') return 'A filter did not match, so nothing was sent.';
  if (delivery.status === 'SUPERSEDED' && !delivery.rendered) {
    return 'The filters matched, but a newer version of the same key came first, so nothing was sent.';
  }
  if (delivery.rendered) return 'The filters matched, so the webhook was sent.';
  if (delivery.lastError !== null) {
    return 'The filters matched, but the request could not be rendered, so nothing was sent.';
  }
  return 'The filters matched: the webhook is sent at its first attempt.';
}

/** A filtered delivery is never attempted: say so rather than "No attempts yet". */
export function attemptsNote(status: DeliveryStatus): string | null {
  if (status === 'SUPERSEDED') return 'None: a newer version of the same key superseded it before it was sent.';
  return status === 'FILTERED' ? 'None: a filtered delivery is not sent, so it is never attempted.' : null;
}

/** The toast after "Send test event": a filtered one was recorded but not sent. */
export function testEventMessage(sequenceId: number, status: DeliveryStatus | null): string {
  if (status === 'FILTERED') return `Test event #${sequenceId} filtered, not sent: a filter did not match`;
  if (status === null) return `Test event #${sequenceId} recorded; this webhook has no delivery for it`;
  return `Test event #${sequenceId} sent`;
}
