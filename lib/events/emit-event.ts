import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { database } from '../db/client';
import { isDatabaseUnavailable } from '../db/unavailable';
import { parseInput } from '../errors';
import type { KeyToStore } from '../idempotency/types';
import { recordIngestion } from '../metrics/record';
import { ZEventName } from './catalog';
import { commitEvents, type EmittedEvent, type EventToCommit, type KeyForEvents } from './commit-events';
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
}

/** One caller's events (one emit, or one batch): committed together or not at all. */
interface PendingUnit {
  events: EventToCommit[];
  key: { store: KeyToStore; batch: boolean } | undefined;
  resolve: (events: EmittedEvent[]) => void;
  reject: (error: unknown) => void;
}

/** Most events one group commit takes (a bigger batch still goes, alone). */
const MAX_GROUP_EVENTS = 500;
const queues = new Map<string, PendingUnit[]>();
const running = new Set<string>();

/**
 * Records an event and its deliveries durably: when this resolves, nothing can be lost.
 *
 * The per-hub sequence is a counter on the hub row, so every emit of a hub takes that row's lock
 * until it commits; one commit at a time would cap a hub at one fsync per event. Emits that
 * arrive while a commit is in flight are therefore grouped into the next one (group commit): one
 * statement, one lock, one fsync, consecutive gap-free `sequenceId`s for the whole group.
 */
export async function emitEvent(hubId: string, input: unknown, options: EmitOptions = {}): Promise<EmittedEvent> {
  const data = parseInput(ZEmitEventInput, input);
  const key = options.idempotencyKey && { store: options.idempotencyKey, batch: false };
  const [event] = await enqueue(hubId, [toCommit(data, options)], key);
  return event as EmittedEvent;
}

/**
 * Records `{ events: [...] }` (at most MAX_BATCH_EVENTS) all or nothing, with consecutive
 * sequenceIds in the order given. A validation error names the event (`events.3.payload`).
 */
export async function emitEvents(
  hubId: string,
  input: unknown,
  options: Pick<EmitOptions, 'idempotencyKey'> = {},
): Promise<EmittedEvent[]> {
  const { events } = parseInput(ZEmitBatchInput, input);
  return enqueue(
    hubId,
    events.map((event) => toCommit(event, {})),
    options.idempotencyKey && { store: options.idempotencyKey, batch: true },
  );
}

function toCommit(data: z.infer<typeof ZEmitEventInput>, options: EmitOptions): EventToCommit {
  return {
    name: data.name,
    payload: data.payload,
    requestId: data.requestId ?? randomUUID(),
    onlyWebhookId: options.onlyWebhookId,
  };
}

function enqueue(hubId: string, events: EventToCommit[], key: PendingUnit['key']): Promise<EmittedEvent[]> {
  return new Promise<EmittedEvent[]>((resolve, reject) => {
    const queue = queues.get(hubId) ?? [];
    queues.set(hubId, queue);
    queue.push({ events, key, resolve, reject });
    if (!running.has(hubId)) void drain(hubId);
  });
}

/** The units that go into the next commit: whole units, up to MAX_GROUP_EVENTS events (at least one unit). */
function nextGroup(queue: PendingUnit[]): PendingUnit[] {
  let count = 0;
  let take = 0;
  while (take < queue.length && (take === 0 || count + (queue[take]?.events.length ?? 0) <= MAX_GROUP_EVENTS)) {
    count += queue[take]?.events.length ?? 0;
    take++;
  }
  return queue.splice(0, take);
}

async function commitUnits(hubId: string, units: readonly PendingUnit[]): Promise<EmittedEvent[][]> {
  const keys: KeyForEvents[] = [];
  let first = 0;
  for (const unit of units) {
    if (unit.key) keys.push({ ...unit.key.store, batch: unit.key.batch, first, count: unit.events.length });
    first += unit.events.length;
  }
  const committed = await commitEvents(
    database().pool,
    hubId,
    units.flatMap((unit) => unit.events),
    keys,
  );
  recordIngestion(hubId, committed);
  let offset = 0;
  return units.map((unit) => {
    offset += unit.events.length;
    return committed.slice(offset - unit.events.length, offset);
  });
}

async function drain(hubId: string): Promise<void> {
  running.add(hubId);
  try {
    for (;;) {
      const queue = queues.get(hubId);
      if (!queue || queue.length === 0) break;
      const group = nextGroup(queue);
      try {
        const results = await commitUnits(hubId, group);
        for (const [index, unit] of group.entries()) unit.resolve(results[index] ?? []);
      } catch (error) {
        // No database (a failover): every caller gets the same 503; one by one would only wait longer.
        if (group.length === 1 || isDatabaseUnavailable(error)) {
          for (const unit of group) unit.reject(error);
          continue;
        }
        // One caller's failure must not fail the others grouped with it: commit each on its own.
        for (const unit of group) {
          await commitUnits(hubId, [unit]).then(
            ([result]) => unit.resolve(result ?? []),
            (soloError: unknown) => unit.reject(soloError),
          );
        }
      }
    }
  } finally {
    running.delete(hubId);
    queues.delete(hubId);
  }
}
