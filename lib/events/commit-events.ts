import type pg from 'pg';
import { uuid7 } from '../crypto/uuid7';
import { NotFoundError } from '../errors';
import { evaluateCompiledFilters } from '../filters/evaluate';
import type { FilterReport } from '../filters/types';
import { deliveryIdFor } from '../outbox/delivery-id';
import { deliveryRows, enqueueDeliveriesSql } from '../outbox/enqueue';
import { LATENCY_BUCKETS_MS } from '../outbox/stats-sql';
import type { EventEnvelope } from './catalog';
import { envelopeOf } from './envelope';
import { forgetHubWebhooks, type HubWebhooks, hubWebhooks, type RoutingWebhook } from './hub-webhooks';
import { contentItemRows, rememberContentItemsSql } from './remember-content-item';

export interface EventToCommit {
  name: string;
  payload: Record<string, unknown>;
  requestId: string;
  /** "Send test event": deliver to this webhook only, whatever its triggers. */
  onlyWebhookId?: string;
}

export interface EmittedDelivery {
  id: string;
  webhookId: string;
  status: 'QUEUED' | 'FILTERED';
  filterReport: FilterReport;
}

export interface EmittedEvent {
  id: string;
  sequenceId: number;
  envelope: EventEnvelope;
  deliveries: EmittedDelivery[];
}

interface PlannedEvent {
  event: EventToCommit;
  id: string;
  deliveries: EmittedDelivery[];
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
async function plan(hubId: string, webhooks: HubWebhooks, events: readonly EventToCommit[]): Promise<PlannedEvent[]> {
  const planned: PlannedEvent[] = [];
  let sliceStart = performance.now();
  for (const event of events) {
    const id = uuid7();
    const envelope = envelopeOf(
      { sequenceId: 0, id, name: event.name, requestId: event.requestId, resource: hubId },
      event.payload,
    );
    let targets: readonly RoutingWebhook[];
    if (event.onlyWebhookId) {
      const target = webhooks.byId.get(event.onlyWebhookId);
      if (!target) throw new NotFoundError('Webhook', event.onlyWebhookId);
      targets = [target];
    } else {
      targets = webhooks.byEvent.get(event.name) ?? [];
    }
    const deliveries: EmittedDelivery[] = [];
    for (const webhook of targets) {
      if (performance.now() - sliceStart > PLAN_SLICE_MS) {
        await yieldToLoop();
        sliceStart = performance.now();
      }
      const filterReport = evaluateCompiledFilters(webhook.compiledFilters, envelope);
      deliveries.push({
        // Derived from the event's id: the delivery shares its event's day partition.
        id: deliveryIdFor(id, webhook.id),
        webhookId: webhook.id,
        status: filterReport.matched ? 'QUEUED' : 'FILTERED',
        filterReport,
      });
    }
    planned.push({ event, id, deliveries });
  }
  return planned;
}

/**
 * The whole emit as ONE statement, so it costs one round trip and commits on its own (one fsync):
 * take the hub's counter (its row lock orders the hub's emits and keeps sequenceIds gap-free), but
 * only while the hub's webhooks are still the version the plan was made with; then the events,
 * their deliveries, the content items and the workers' wake-up, each written once per row of
 * `hub`: when the version moved on, nothing is written and the emit plans again.
 */
const EMIT_SQL = `
WITH hub AS (
  UPDATE hubs SET last_sequence_id = last_sequence_id + $2
   WHERE id = $1 AND webhooks_version = $3
  RETURNING last_sequence_id - $2 AS base
), new_events AS (
  INSERT INTO events (id, hub_id, sequence_id, name, request_id, payload)
  SELECT r.id, $1, hub.base + r.n, r.name, r.request_id, r.payload
    FROM hub, json_to_recordset($4::json) AS r(id uuid, n bigint, name text, request_id text, payload json)
), ${enqueueDeliveriesSql({ gate: 'hub', hubId: '$1', rows: '$5', bounds: '$6', wake: '$7' })}
, ${rememberContentItemsSql({ gate: 'hub', hubId: '$1', rows: '$8' })}
SELECT hub.base::text AS base, (SELECT count(*) FROM woken) AS woken FROM hub`;

/** A hub's webhooks changing this often, emit after emit, is not something to keep retrying. */
const MAX_PLANS = 5;

/**
 * Records events and their deliveries durably, all or nothing: when this resolves, nothing can be
 * lost. Consecutive sequenceIds, in the order given.
 */
export async function commitEvents(pool: pg.Pool, hubId: string, events: readonly EventToCommit[]) {
  for (let attempt = 1; ; attempt++) {
    const webhooks = await hubWebhooks(pool, hubId);
    let planned: PlannedEvent[];
    try {
      planned = await plan(hubId, webhooks, events);
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
    const { rows } = await pool.query<{ base: string }>({
      name: 'herald-emit',
      text: EMIT_SQL,
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
          })),
        ),
        deliveryRows(deliveries),
        LATENCY_BUCKETS_MS,
        deliveries.some((delivery) => delivery.status === 'QUEUED'),
        contentItemRows(events),
      ],
    });
    const base = rows[0]?.base;
    if (base !== undefined) return emitted(hubId, planned, Number(base));
    // The hub's webhooks changed since they were read (or the hub is gone: reading them says so).
    forgetHubWebhooks(hubId, webhooks);
    if (attempt === MAX_PLANS) throw new Error(`the webhooks of hub ${hubId} kept changing while events were emitted`);
  }
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
