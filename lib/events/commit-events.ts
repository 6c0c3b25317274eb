import type pg from 'pg';
import { uuid7 } from '../crypto/uuid7';
import { LATENCY_BUCKETS_MS } from '../delivery-stats/stats-sql';
import { errorMessage, NotFoundError } from '../errors';
import { evaluateCompiledFilters } from '../filters/evaluate';
import type { FilterReport } from '../filters/types';
import { idempotencyKeyRows, storeIdempotencyKeysSql } from '../idempotency/store-sql';
import type { KeyToStore } from '../idempotency/types';
import {
  EVENT_KEY_COLUMNS,
  eventKeyFields,
  keyHeadRows,
  keyHeadsSql,
  keyHistoryGateSql,
  previousEventSql,
} from '../key-history/key-heads-sql';
import { batchKeys, previousEventOf } from '../key-history/key-history';
import { logger } from '../logger';
import { armWebhooks } from '../outbox/arm';
import { deliveryIdFor } from '../outbox/delivery-id';
import { deliveryRows, enqueueDeliveriesSql } from '../outbox/enqueue';
import type { EventEnvelope } from './catalog';
import { envelopeOf } from './envelope';
import { forgetHubWebhooks, type HubWebhooks, hubWebhooks, type RoutingWebhook } from './hub-webhooks';
import { type LatestFields, latestFields, supersedeWithinBatch } from './latest-plan';
import { type EmitHistory, emitHistory } from './previous-events';
import { contentItemRows, rememberContentItemsSql } from './remember-content-item';

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

/**
 * The whole emit as ONE statement, so it costs one round trip and commits on its own (one fsync):
 * take the hub's counter (its row lock orders the hub's emits and keeps sequenceIds gap-free), but
 * only while the hub's webhooks are still the version the plan was made with; then the events,
 * their deliveries, the content items and the workers' wake-up, each written once per row of
 * `hub`: when the version moved on, nothing is written and the emit plans again. Idempotency keys
 * sent with the events are stored by the same statement (lib/idempotency/store-sql.ts).
 */
function emitSql(withKeys: boolean): string {
  // Each event's previous event of its key, and the keys' latest events (lib/key-history).
  const previous = previousEventSql('r');
  return `
WITH hub AS (
  UPDATE hubs SET last_sequence_id = last_sequence_id + $2
   WHERE id = $1 AND webhooks_version = $3 AND ${keyHistoryGateSql('$9')}
  RETURNING last_sequence_id - $2 AS base
), ${keyHeadsSql({ gate: 'hub', hubId: '$1', rows: '$8' })}
, new_events AS (
  INSERT INTO events (id, hub_id, sequence_id, name, request_id, payload, trace_parent, previous_event_id)
  SELECT r.id, $1, hub.base + r.n, r.name, r.request_id, r.payload, r.trace_parent, ${previous.id}
    FROM hub, json_to_recordset($4::json)
      AS r(id uuid, n bigint, name text, request_id text, payload json, trace_parent text, ${EVENT_KEY_COLUMNS})
    ${previous.join}
), ${enqueueDeliveriesSql({ gate: 'hub', hubId: '$1', rows: '$5', bounds: '$6' })}
, ${rememberContentItemsSql({ gate: 'hub', hubId: '$1', rows: '$7' })}
${withKeys ? `, ${storeIdempotencyKeysSql({ gate: 'hub', base: 'hub.base', hubId: '$1', rows: '$10' })}` : ''}
SELECT hub.base::text AS base FROM hub`;
}

/**
 * Emits without an Idempotency-Key (nearly all of them) run the statement without the keys' CTE,
 * so they pay nothing for it; emits with one add that CTE (one insert) to the same statement.
 */
const EMIT_SQL = emitSql(false);
const EMIT_WITH_KEYS_SQL = emitSql(true);

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
 * already stored fails the whole commit (see isKeyTaken).
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
    const withKeys = keys.length > 0;
    const ids = planned.map(({ id }) => id);
    const { rows } = await pool.query<{ base: string }>({
      name: withKeys ? 'herald-emit-keyed' : 'herald-emit',
      text: withKeys ? EMIT_WITH_KEYS_SQL : EMIT_SQL,
      values: [
        hubId,
        events.length,
        webhooks.version,
        JSON.stringify(
          planned.map(({ event, id }, index) => ({
            id,
            n: index + 1,
            name: event.name,
            request_id: event.requestId,
            payload: event.payload,
            // Left out of the JSON when there is none (undefined is not serialised): NULL.
            trace_parent: event.traceParent ?? undefined,
            ...eventKeyFields(batch, ids, index),
          })),
        ),
        deliveryRows(deliveries),
        LATENCY_BUCKETS_MS,
        contentItemRows(events),
        keyHeadRows(batch, ids),
        history.stored?.seen ?? null,
        ...(withKeys ? [keyRows(keys, planned)] : []),
      ],
    });
    const base = rows[0]?.base;
    if (base !== undefined) {
      await armQueued(pool, deliveries);
      return emitted(hubId, planned, Number(base));
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

function keyRows(keys: readonly KeyForEvents[], planned: readonly PlannedEvent[]): string {
  return idempotencyKeyRows(
    keys.map(({ first, count, ...key }) => ({
      ...key,
      events: planned.slice(first, first + count).map(({ id, deliveries }, index) => ({
        id,
        n: first + index + 1,
        deliveries: deliveries.map((delivery) => ({
          id: delivery.id,
          webhookId: delivery.webhookId,
          status: delivery.status,
        })),
      })),
    })),
  );
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
