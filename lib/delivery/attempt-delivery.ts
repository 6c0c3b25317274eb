import type { Agent } from 'undici';
import { errorMessage } from '../errors';
import { send } from '../outbound/http-client';
import type { AttemptResult, ClaimedDelivery } from '../outbox/types';
import { type AttemptTrace, startAttemptTrace } from '../tracing/spans';
import { type DecisionClock, decideOutcome, failNow, retryOrFail, SYSTEM_CLOCK } from './attempt-outcome';
import { prepareRequest } from './prepare-request';
import type { DeliveryConfig } from './webhook-config';

export interface AttemptSettings {
  agent: Agent;
  timeoutMs: number;
  schedule: readonly number[];
}

/**
 * One try at one delivery: prepare the request, send it, and decide what happens next; traced as
 * one client span in the event's trace (lib/tracing/spans.ts), whose context the request carries.
 */
export async function attemptDelivery(
  claimed: ClaimedDelivery,
  config: DeliveryConfig | undefined,
  settings: AttemptSettings,
): Promise<AttemptResult> {
  const trace = startAttemptTrace(claimed);
  try {
    const { result, request } = await attempt(claimed, config, settings, trace);
    trace.end({ request, responseStatus: result.responseStatus, outcome: result.outcome, error: result.error });
    return result;
  } catch (error) {
    trace.fail(error);
    throw error;
  }
}

async function attempt(
  claimed: ClaimedDelivery,
  config: DeliveryConfig | undefined,
  settings: AttemptSettings,
  trace: AttemptTrace,
): Promise<{ result: AttemptResult; request: { method: string; url: string } | null }> {
  const startedAt = new Date();
  const base = {
    deliveryId: claimed.id,
    webhookId: claimed.webhookId,
    attemptCount: claimed.attemptCount,
    chain: claimed.chain,
    startedAt,
    payloadTemplate: config?.payloadTemplate ?? null,
    urlTemplate: config?.urlTemplate ?? null,
  };
  const prepared = await prepareRequest(claimed, config, trace.traceparent);
  if (!prepared.ok) {
    const result: AttemptResult = {
      ...base,
      ...(prepared.retryable
        ? retryOrFail(prepared.error, claimed.attemptCount, settings.schedule, SYSTEM_CLOCK())
        : failNow(prepared.error)),
      rendered: prepared.rendered,
      durationMs: Date.now() - startedAt.getTime(),
      requestHeaders: {},
      sent: false,
    };
    return { result, request: null };
  }
  const { method, url, body, headers } = prepared;
  const response = await send(settings.agent, { method, url, headers, body, timeoutMs: settings.timeoutMs });
  const result: AttemptResult = {
    ...base,
    ...decideOutcome(response, claimed.attemptCount, settings.schedule, SYSTEM_CLOCK()),
    rendered: prepared.rendered,
    durationMs: response.durationMs,
    requestHeaders: prepared.masked,
    sent: true,
  };
  return { result, request: { method, url } };
}

/**
 * The outcome of an attempt that threw (a bug, or anything unforeseen while rendering, signing or
 * sending): retried on the schedule like a failed send, then FAILED, so the delivery ends instead
 * of being claimed again every lease. Nothing is known to have gone out.
 */
export function internalErrorResult(
  claimed: ClaimedDelivery,
  settings: AttemptSettings,
  error: unknown,
  clock: DecisionClock = SYSTEM_CLOCK(),
): AttemptResult {
  const message = `internal error: ${errorMessage(error)}`.slice(0, 1000);
  return {
    deliveryId: claimed.id,
    webhookId: claimed.webhookId,
    attemptCount: claimed.attemptCount,
    chain: claimed.chain,
    ...retryOrFail(message, claimed.attemptCount, settings.schedule, clock),
    rendered: null,
    payloadTemplate: null,
    urlTemplate: null,
    startedAt: new Date(clock.now),
    durationMs: 0,
    requestHeaders: {},
    sent: false,
  };
}
