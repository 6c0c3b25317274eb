import type pg from 'pg';
import { uuid7 } from '../crypto/uuid7';
import { errorMessage, NotFoundError } from '../errors';
import { evaluateCompiledFilters } from '../filters/evaluate';
import type { FilterReport } from '../filters/types';
import type { KeyToCommit } from '../idempotency/store-sql';
import type { KeyToStore } from '../idempotency/types';
import { eventKeyFields } from '../key-history/key-heads-sql';
import { batchKeys, previousEventOf } from '../key-history/key-history';
import { logger } from '../logger';
import { armWebhooks } from '../outbox/arm';
import { deliveryIdFor } from '../outbox/delivery-id';
import type { EventEnvelope } from './catalog';
import { EMIT, EMIT_WITH_KEYS } from './emit-sql';
import { envelopeOf } from './envelope';
import { forgetHubWebhooks, type HubWebhooks, hubWebhooks, type RoutingWebhook } from './hub-webhooks';
import { type LatestFields, latestFields, supersedeWithinBatch } from './latest-plan';
import { type EmitHistory, emitHistory } from './previous-events';

export interface EventToCommit {
  name: string;
  payload: Record<string, unknown>;
  requestId: string;
  /** "Send test event": deliver to this webhook only, whatever its triggers. */
  onlyWebhookId?: string;
  /** The W3C traceparent its deliveries continue (lib/tracing), stored with the event. */
  traceParent?: string | null;
}

export interface EmittedDelivery {
  id: string;
  webhookId: string;
  /** SUPERSEDED: a newer event of the same batch has the same key (latest mode). */
  status: 'QUEUED' | 'FILTERED' | 'SUPERSEDED';
  filterReport: FilterReport;
}

type PlannedDelivery = EmittedDelivery & LatestFields;

export interface EmittedEvent {
  id: string;
  sequenceId: number;
  envelope: EventEnvelope;
  deliveries: EmittedDelivery[];
}

interface PlannedEvent {
  event: EventToCommit;
  id: string;
  deliveries: PlannedDelivery[];
}

/**
 * The longest the planning of an emit keeps the event loop before letting other requests in. Each
 * filter's work is bounded (MAX_FILTER_NODES), but a hub may have a thousand webhooks with ten
 * filters each: planning yields (setImmediate) whenever a slice has run this long.
 */
const PLAN_SLICE_MS = 5;

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Everything that does not need the hub's lock happens before it is taken: which webhooks an event
 * goes to and what their filters say (JSONPath on a big payload is the costly part of an emit).
 * Filters therefore see every envelope field but `sequenceId`, which is only known under the lock.
 */
async function plan(
  hubId: string,
  webhooks: HubWebhooks,
  events: readonly EventToCommit[],
  history: EmitHistory,
): Promise<PlannedEvent[]> {
  const planned: PlannedEvent[] = [];
  const envelopes: EventEnvelope[] = [];
  let sliceStart = performance.now();
  for (const [index, event] of events.entries()) {
    const id = uuid7();
    const envelope = envelopeOf(
      { sequenceId: 0, id, name: event.name, requestId: event.requestId, resource: hubId },
      event.payload,
    );
    envelopes.push(envelope);
    // For `changed` filters (lib/key-history): an earlier event of the batch, or the stored one.
    const previous = previousEventOf(history.batch, history.stored, index, envelopes);
    let targets: readonly RoutingWebhook[];
    if (event.onlyWebhookId) {
      const target = webhooks.byId.get(event.onlyWebhookId);
      if (!target) throw new NotFoundError('Webhook', event.onlyWebhookId);
      targets = [target];
    } else {
      targets = webhooks.byEvent.get(event.name) ?? [];
    }
    const deliveries: PlannedDelivery[] = [];
    for (const webhook of targets) {
      if (performance.now() - sliceStart > PLAN_SLICE_MS) {
        await yieldToLoop();
        sliceStart = performance.now();
      }
      const filterReport = evaluateCompiledFilters(webhook.compiledFilters, envelope, previous);
      deliveries.push({
        // Derived from the event's id: the delivery shares its event's day partition.
        id: deliveryIdFor(id, webhook.id),
        webhookId: webhook.id,
        status: filterReport.matched ? 'QUEUED' : 'FILTERED',
        filterReport,
        ...latestFields(webhook, envelope, filterReport.matched, event.onlyWebhookId !== undefined),
      });
    }
    planned.push({ event, id, deliveries });
  }
  supersedeWithinBatch(planned.flatMap((event) => event.deliveries));
  return planned;
}

/** A hub's webhooks changing this often, emit after emit, is not something to keep retrying. */
const MAX_PLANS = 5;

/** An Idempotency-Key to store with the events `first` to `first + count - 1` of a commit. */
export interface KeyForEvents extends KeyToStore {
  first: number;
  count: number;
  /** Answered as a batch (`{ events: [...] }`) rather than as one event. */
  batch: boolean;
}

/**
 * Records events and their deliveries durably, all or nothing: when this resolves, nothing can be
 * lost. Consecutive sequenceIds, in the order given. `keys` are stored in the same commit; a key
 * already stored fails the whole commit, and nothing is written (see isKeyTaken).
 */
export async function commitEvents(
  pool: pg.Pool,
  hubId: string,
  events: readonly EventToCommit[],
  keys: readonly KeyForEvents[] = [],
) {
  const batch = batchKeys(events);
  for (let attempt = 1; ; attempt++) {
    const webhooks = await hubWebhooks(pool, hubId);
    const history = await emitHistory(pool, hubId, webhooks, events, batch);
    let planned: PlannedEvent[];
    try {
      planned = await plan(hubId, webhooks, events, history);
    } catch (error) {
      // A test event for a webhook created since the hub's webhooks were cached: read them again
      // before saying it does not exist.
      if (!(error instanceof NotFoundError) || attempt > 1) throw error;
      forgetHubWebhooks(hubId, webhooks);
      continue;
    }
    const deliveries = planned.flatMap(({ id, deliveries }) =>
      deliveries.map((delivery) => ({ ...delivery, eventId: id })),
    );
    const ids = planned.map(({ id }) => id);
    const values = {
      hubId,
      count: events.length,
      webhooksVersion: webhooks.version,
      events: planned.map(({ event, id }, index) => ({
        id,
        n: index + 1,
        name: event.name,
        request_id: event.requestId,
        payload: event.payload,
        trace_parent: event.traceParent ?? undefined,
        ...eventKeyFields(batch, ids, index),
      })),
      deliveries,
      contentItems: events,
      keyHeads: { batch, ids },
      seen: history.stored?.seen ?? null,
    };
    const [row] =
      keys.length > 0
        ? (await EMIT_WITH_KEYS.run(pool, { ...values, keys: keysToCommit(keys, planned) })).rows
        : (await EMIT.run(pool, values)).rows;
    if (row) {
      await armQueued(pool, deliveries);
      return emitted(hubId, planned, Number(row.base));
    }
    // The hub's webhooks changed since they were read (or the hub is gone: reading them says so), or
    // an event came in since the previous versions `changed` filters compared with were read.
    forgetHubWebhooks(hubId, webhooks);
    if (attempt === MAX_PLANS)
      throw new Error(
        `the webhooks of hub ${hubId} (or its events' previous versions) kept changing while events were emitted`,
      );
  }
}

/**
 * After the commit, so a claim that started before it cannot call the webhook drained (see
 * lib/outbox/arm.ts). Once an emit resolves, its deliveries can be claimed and the workers are
 * awake. Advisory: the events are committed whatever happens here, and an arm lost to an error or
 * a crash is found by the sweep-webhook-queues job (lib/upkeep).
 */
async function armQueued(pool: pg.Pool, deliveries: readonly EmittedDelivery[]): Promise<void> {
  const arms = [...new Set(deliveries.filter((d) => d.status === 'QUEUED').map((d) => d.webhookId))].map(
    (webhookId) => ({ webhookId, at: null }),
  );
  await armWebhooks(pool, arms).catch((error: unknown) =>
    logger('emit').warn(`arming ${arms.length} webhooks failed (${errorMessage(error)})`),
  );
}

/** Each key with the answer to its request; sequenceIds count from the commit's base (1 is its first event). */
function keysToCommit(keys: readonly KeyForEvents[], planned: readonly PlannedEvent[]): KeyToCommit[] {
  return keys.map(({ first, count, ...key }) => ({
    ...key,
    events: planned.slice(first, first + count).map(({ id, deliveries }, index) => ({
      id,
      sequenceId: first + index + 1,
      deliveries,
    })),
  }));
}

function emitted(hubId: string, planned: readonly PlannedEvent[], base: number): EmittedEvent[] {
  return planned.map(({ event, id, deliveries }, index) => {
    const sequenceId = base + index + 1;
    return {
      id,
      sequenceId,
      envelope: envelopeOf(
        { sequenceId, id, name: event.name, requestId: event.requestId, resource: hubId },
        event.payload,
      ),
      deliveries,
    };
  });
}
