import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { parseInput } from '../errors';
import type { KeyToStore } from '../idempotency/types';
import { type EmitTrace, startEmitTrace } from '../tracing/spans';
import { ZEventName } from './catalog';
import type { EmittedEvent, EventToCommit } from './commit-events';
import { commitInGroup } from './group-commit';
import { payloadProblem } from './payload-shape';

export type { EmittedDelivery, EmittedEvent } from './commit-events';

export const ZEmitEventInput = z.object({
  name: ZEventName,
  payload: z.record(z.string(), z.unknown(), { error: 'payload must be a JSON object' }).superRefine((payload, ctx) => {
    const problem = payloadProblem(payload);
    if (problem) ctx.addIssue({ code: 'custom', message: `${problem.path} ${problem.message}` });
  }),
  requestId: z.string().trim().min(1).max(128, 'requestId may be at most 128 characters').optional(),
});

export type TEmitEventInput = z.input<typeof ZEmitEventInput>;

/** Most events in one `events:batch` request. */
export const MAX_BATCH_EVENTS = 500;

export const ZEmitBatchInput = z.object({
  events: z
    .array(ZEmitEventInput, { error: 'events must be a list of events' })
    .min(1, 'events must hold at least one event')
    .max(MAX_BATCH_EVENTS, `events may hold at most ${MAX_BATCH_EVENTS} events`),
});

export interface EmitOptions {
  /** "Send test event": deliver to this webhook only, whatever its triggers. */
  onlyWebhookId?: string;
  /** The request's Idempotency-Key, stored in the same commit as the events (lib/idempotency/). */
  idempotencyKey?: KeyToStore;
  /** The W3C traceparent the emit continues: the API request's (lib/tracing/spans.ts). */
  traceparent?: string;
}

/**
 * Records an event and its deliveries durably: when this resolves, nothing can be lost. Emits of
 * one hub that arrive while a commit is in flight share the next commit (lib/events/group-commit.ts).
 */
export async function emitEvent(hubId: string, input: unknown, options: EmitOptions = {}): Promise<EmittedEvent> {
  const data = parseInput(ZEmitEventInput, input);
  const key = options.idempotencyKey && { store: options.idempotencyKey, batch: false };
  const trace = startEmitTrace(hubId, options.traceparent);
  const [event] = await traced(trace, () => commitInGroup(hubId, [toCommit(data, options, trace)], key));
  return event as EmittedEvent;
}

/**
 * Records `{ events: [...] }` (at most MAX_BATCH_EVENTS) all or nothing, with consecutive
 * sequenceIds in the order given. A validation error names the event (`events.3.payload`).
 */
export async function emitEvents(
  hubId: string,
  input: unknown,
  options: Pick<EmitOptions, 'idempotencyKey' | 'traceparent'> = {},
): Promise<EmittedEvent[]> {
  const { events } = parseInput(ZEmitBatchInput, input);
  const trace = startEmitTrace(hubId, options.traceparent);
  return traced(trace, () =>
    commitInGroup(
      hubId,
      events.map((event) => toCommit(event, {}, trace)),
      options.idempotencyKey && { store: options.idempotencyKey, batch: true },
    ),
  );
}

/** The emit's span ends with what was recorded, or with the error. */
async function traced(trace: EmitTrace, commit: () => Promise<EmittedEvent[]>): Promise<EmittedEvent[]> {
  try {
    const events = await commit();
    trace.end(events);
    return events;
  } catch (error) {
    trace.fail(error);
    throw error;
  }
}

function toCommit(data: z.infer<typeof ZEmitEventInput>, options: EmitOptions, trace: EmitTrace): EventToCommit {
  return {
    name: data.name,
    payload: data.payload,
    requestId: data.requestId ?? randomUUID(),
    onlyWebhookId: options.onlyWebhookId,
    traceParent: trace.traceparent,
  };
}
