import type { OutboundResult } from '../outbound/http-client';
import type { AttemptResult } from '../outbox/types';
import { nextRetry, parseRetryAfter } from './retry-policy';

/** The part of an attempt's result that is decided rather than observed. */
export type OutcomeFields = Pick<
  AttemptResult,
  | 'outcome'
  | 'nextAttemptAt'
  | 'error'
  | 'gone'
  | 'responseStatus'
  | 'responseHeaders'
  | 'responseBody'
  | 'responseBodyTruncated'
>;

/** The time and the jitter a decision uses: passed in, so the decision is a pure function. */
export interface DecisionClock {
  now: number;
  random: () => number;
}

export const SYSTEM_CLOCK: () => DecisionClock = () => ({ now: Date.now(), random: Math.random });

const NO_RESPONSE = {
  responseStatus: null,
  responseHeaders: null,
  responseBody: null,
  responseBodyTruncated: false,
} as const;

/**
 * What happens after a send: 2xx is delivered; 410 Gone fails and turns the webhook off; anything
 * else (3xx, 4xx, 5xx, timeout, refused connection) is retried on the schedule, honouring the
 * receiver's `Retry-After`, and fails once the schedule is exhausted.
 */
export function decideOutcome(
  response: OutboundResult,
  attemptCount: number,
  schedule: readonly number[],
  clock: DecisionClock,
): OutcomeFields {
  if (!response.ok) return retryOrFail(response.error, attemptCount, schedule, clock, null);
  const answered = {
    responseStatus: response.status,
    responseHeaders: response.headers,
    responseBody: response.body,
    responseBodyTruncated: response.truncated,
  };
  if (response.status >= 200 && response.status < 300) {
    return { ...answered, outcome: 'DELIVERED', nextAttemptAt: null, error: null, gone: false };
  }
  const error = describeStatus(response.status, response.headers);
  if (response.status === 410) return { ...answered, outcome: 'FAILED', nextAttemptAt: null, error, gone: true };
  const retryAfter = parseRetryAfter(response.headers['retry-after'], clock.now);
  return { ...retryOrFail(error, attemptCount, schedule, clock, retryAfter), ...answered };
}

/** A failure that may be retried (nothing answered, or nothing sent): the next step of the schedule, or FAILED. */
export function retryOrFail(
  error: string,
  attemptCount: number,
  schedule: readonly number[],
  clock: DecisionClock,
  retryAfterMs: number | null = null,
): OutcomeFields {
  const decision = nextRetry(attemptCount, schedule, retryAfterMs, clock.random);
  return decision.retry
    ? { ...NO_RESPONSE, outcome: 'RETRYING', nextAttemptAt: new Date(clock.now + decision.delayMs), error, gone: false }
    : { ...NO_RESPONSE, outcome: 'FAILED', nextAttemptAt: null, error: `${error}; no retries left`, gone: false };
}

/** A failure no retry can mend (the webhook is gone or off, the rendered request is unsendable). */
export function failNow(error: string): OutcomeFields {
  return { ...NO_RESPONSE, outcome: 'FAILED', nextAttemptAt: null, error, gone: false };
}

function describeStatus(status: number, headers: Record<string, string>): string {
  if (status >= 300 && status < 400) {
    return `HTTP ${status}: redirects are not followed${headers.location ? ` (Location: ${headers.location})` : ''}`;
  }
  if (status === 410) return 'HTTP 410 Gone: the webhook was turned off';
  return `HTTP ${status}`;
}
