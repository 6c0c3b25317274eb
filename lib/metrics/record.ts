import type { AttemptResult } from '../outbox/types';
import { attemptDuration, deliveriesTotal, eventsIngested } from './registry';

/** Counts committed events and the deliveries their filters held back. */
export function recordIngestion(
  hubId: string,
  events: readonly { deliveries: readonly { status: 'QUEUED' | 'FILTERED' | 'SUPERSEDED' }[] }[],
): void {
  eventsIngested.inc({ hub: hubId }, events.length);
  const filtered = events.reduce(
    (sum, event) => sum + event.deliveries.filter((delivery) => delivery.status === 'FILTERED').length,
    0,
  );
  if (filtered > 0) deliveriesTotal.inc({ status: 'filtered' }, filtered);
}

/** Counts one attempt by what it led to, and how long the request took when one was sent. */
export function recordAttempt(result: Pick<AttemptResult, 'outcome' | 'sent' | 'durationMs'>): void {
  deliveriesTotal.inc({ status: result.outcome.toLowerCase() });
  if (result.sent) attemptDuration.observe(result.durationMs / 1000);
}
