import { describe, expect, it } from 'vitest';
import { type DecisionClock, decideOutcome, failNow, retryOrFail } from '../../lib/delivery/attempt-outcome';
import type { OutboundResult } from '../../lib/outbound/http-client';

const NOW = Date.parse('2026-01-01T00:00:00Z');
/** random() = 0.5 makes the jitter factor exactly 1, so delays equal the schedule. */
const clock: DecisionClock = { now: NOW, random: () => 0.5 };
const SCHEDULE = [0, 10_000, 60_000];

const answer = (status: number, headers: Record<string, string> = {}): OutboundResult => ({
  ok: true,
  status,
  headers,
  body: `body ${status}`,
  truncated: false,
  durationMs: 12,
});
const noAnswer = (error: string): OutboundResult => ({ ok: false, error, durationMs: 12 });

interface Row {
  name: string;
  response: OutboundResult;
  attemptCount: number;
  outcome: 'DELIVERED' | 'RETRYING' | 'FAILED';
  retryInMs: number | null;
  error: string | null;
  gone?: boolean;
  responseStatus: number | null;
}

const table: Row[] = [
  {
    name: '200',
    response: answer(200),
    attemptCount: 1,
    outcome: 'DELIVERED',
    retryInMs: null,
    error: null,
    responseStatus: 200,
  },
  {
    name: '204',
    response: answer(204),
    attemptCount: 3,
    outcome: 'DELIVERED',
    retryInMs: null,
    error: null,
    responseStatus: 204,
  },
  {
    name: '3xx is not followed, and retried',
    response: answer(302, { location: 'https://elsewhere.example/' }),
    attemptCount: 1,
    outcome: 'RETRYING',
    retryInMs: 10_000,
    error: 'HTTP 302: redirects are not followed (Location: https://elsewhere.example/)',
    responseStatus: 302,
  },
  {
    name: '410 fails at once and turns the webhook off',
    response: answer(410),
    attemptCount: 1,
    outcome: 'FAILED',
    retryInMs: null,
    error: 'HTTP 410 Gone: the webhook was turned off',
    gone: true,
    responseStatus: 410,
  },
  {
    name: '429 with Retry-After in seconds, within the clamp',
    response: answer(429, { 'retry-after': '15' }),
    attemptCount: 1,
    outcome: 'RETRYING',
    retryInMs: 15_000,
    error: 'HTTP 429',
    responseStatus: 429,
  },
  {
    name: '429 with Retry-After as a date, clamped to twice the schedule',
    response: answer(429, { 'retry-after': new Date(NOW + 3_600_000).toUTCString() }),
    attemptCount: 1,
    outcome: 'RETRYING',
    retryInMs: 20_000,
    error: 'HTTP 429',
    responseStatus: 429,
  },
  {
    name: '500',
    response: answer(500),
    attemptCount: 2,
    outcome: 'RETRYING',
    retryInMs: 60_000,
    error: 'HTTP 500',
    responseStatus: 500,
  },
  {
    name: 'timeout',
    response: noAnswer('timed out after 10000 ms'),
    attemptCount: 1,
    outcome: 'RETRYING',
    retryInMs: 10_000,
    error: 'timed out after 10000 ms',
    responseStatus: null,
  },
  {
    name: 'connection refused',
    response: noAnswer('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9'),
    attemptCount: 1,
    outcome: 'RETRYING',
    retryInMs: 10_000,
    error: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9',
    responseStatus: null,
  },
  {
    name: 'exhausted after an error status',
    response: answer(503, { 'retry-after': '5' }),
    attemptCount: 3,
    outcome: 'FAILED',
    retryInMs: null,
    error: 'HTTP 503; no retries left',
    responseStatus: 503,
  },
  {
    name: 'exhausted after no answer',
    response: noAnswer('timed out after 10000 ms'),
    attemptCount: 3,
    outcome: 'FAILED',
    retryInMs: null,
    error: 'timed out after 10000 ms; no retries left',
    responseStatus: null,
  },
];

describe('the outcome of a send', () => {
  it.each(table)('$name → $outcome', (row) => {
    const decided = decideOutcome(row.response, row.attemptCount, SCHEDULE, clock);
    expect(decided.outcome).toBe(row.outcome);
    expect(decided.nextAttemptAt?.getTime() ?? null).toBe(row.retryInMs === null ? null : NOW + row.retryInMs);
    expect(decided.error).toBe(row.error);
    expect(decided.gone).toBe(row.gone ?? false);
    expect(decided.responseStatus).toBe(row.responseStatus);
    // What the endpoint answered is kept whatever the outcome; nothing is invented when it did not answer.
    expect(decided.responseBody).toBe(row.response.ok ? row.response.body : null);
  });

  it('jitters a retry by at most ±20 %', () => {
    const low = decideOutcome(answer(500), 1, SCHEDULE, { now: NOW, random: () => 0 });
    const high = decideOutcome(answer(500), 1, SCHEDULE, { now: NOW, random: () => 1 });
    expect(low.nextAttemptAt?.getTime()).toBe(NOW + 8000);
    expect(high.nextAttemptAt?.getTime()).toBe(NOW + 12_000);
  });

  it('retries what was not sent while the schedule lasts, and fails what cannot be mended', () => {
    expect(retryOrFail('Not sent: key missing', 1, SCHEDULE, clock)).toMatchObject({
      outcome: 'RETRYING',
      nextAttemptAt: new Date(NOW + 10_000),
    });
    expect(retryOrFail('Not sent: key missing', 3, SCHEDULE, clock)).toMatchObject({
      outcome: 'FAILED',
      error: 'Not sent: key missing; no retries left',
    });
    expect(failNow('Not sent: the webhook no longer exists')).toMatchObject({ outcome: 'FAILED', nextAttemptAt: null });
  });
});
