import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { uuid7 } from '../crypto/uuid7';
import { database } from '../db/client';
import { NotFoundError, parseInput } from '../errors';
import { evaluateFilters } from '../filters/evaluate';
import type { FilterReport, TFilter } from '../filters/types';
import { recordIngestion } from '../metrics/record';
import { deliveryIdFor } from '../outbox/delivery-id';
import { enqueueDeliveries } from '../outbox/enqueue';
import { type EventEnvelope, ZEventName } from './catalog';
import { envelopeOf } from './envelope';
import { payloadProblem } from './payload-shape';
import { rememberContentItems } from './remember-content-item';

export const ZEmitEventInput = z.object({
  name: ZEventName,
  payload: z.record(z.string(), z.unknown(), { error: 'payload must be a JSON object' }).superRefine((payload, ctx) => {
    const problem = payloadProblem(payload);
    if (problem) ctx.addIssue({ code: 'custom', message: `${problem.path} ${problem.message}` });
  }),
  requestId: z.string().trim().min(1).max(128, 'requestId may be at most 128 characters').optional(),
});

export type TEmitEventInput = z.input<typeof ZEmitEventInput>;

export interface EmitOptions {
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

interface PendingEmit {
  name: string;
  payload: Record<string, unknown>;
  requestId: string;
  onlyWebhookId?: string;
  resolve: (event: EmittedEvent) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 200;
const queues = new Map<string, PendingEmit[]>();
const running = new Set<string>();

/**
 * Records an event and its deliveries durably: when this resolves, nothing can be lost.
 *
 * The per-hub sequence is a counter on the hub row, so every emit of a hub takes that row's lock
 * until it commits; one commit at a time would cap a hub at one fsync per event. Emits that
 * arrive while a commit is in flight are therefore grouped into the next transaction (group
 * commit): one lock, one fsync, consecutive gap-free `sequenceId`s for the whole group.
 */
export async function emitEvent(hubId: string, input: unknown, options: EmitOptions = {}): Promise<EmittedEvent> {
  const data = parseInput(ZEmitEventInput, input);
  return new Promise<EmittedEvent>((resolve, reject) => {
    const queue = queues.get(hubId) ?? [];
    queues.set(hubId, queue);
    queue.push({
      name: data.name,
      payload: data.payload,
      requestId: data.requestId ?? randomUUID(),
      onlyWebhookId: options.onlyWebhookId,
      resolve,
      reject,
    });
    if (!running.has(hubId)) void drain(hubId);
  });
}

async function drain(hubId: string): Promise<void> {
  running.add(hubId);
  try {
    for (;;) {
      const queue = queues.get(hubId);
      if (!queue || queue.length === 0) break;
      const batch = queue.splice(0, MAX_BATCH);
      try {
        const results = await commitBatch(hubId, batch);
        for (const [index, pending] of batch.entries()) pending.resolve(results[index] as EmittedEvent);
      } catch (error) {
        if (batch.length === 1) {
          batch[0]?.reject(error);
          continue;
        }
        // One emit's failure must not fail the others grouped with it: commit each on its own.
        for (const pending of batch) {
          await commitBatch(hubId, [pending]).then(
            ([result]) => pending.resolve(result as EmittedEvent),
            (soloError: unknown) => pending.reject(soloError),
          );
        }
      }
    }
  } finally {
    running.delete(hubId);
    queues.delete(hubId);
  }
}

interface SubscribedWebhook {
  id: string;
  active: boolean;
  events: string[];
  filters: TFilter[];
}

interface PlannedEvent {
  pending: PendingEmit;
  id: string;
  deliveries: EmittedDelivery[];
}

/**
 * Everything that does not need the hub's lock happens before it is taken: which webhooks an event
 * goes to and what their filters say (JSONPath on a big payload is the costly part of an emit).
 * Filters therefore see every envelope field but `sequenceId`, which is only known under the lock.
 */
async function planBatch(hubId: string, batch: PendingEmit[]): Promise<PlannedEvent[]> {
  const webhooks = await subscribedWebhooks(database().pool, hubId, batch);
  const planned: PlannedEvent[] = [];
  for (const pending of batch) {
    // Filters are bounded per event (MAX_SCANNED_VALUES); between events, let other requests in.
    if (planned.length > 0) await new Promise((resolve) => setImmediate(resolve));
    const id = uuid7();
    const envelope = envelopeOf(
      { sequenceId: 0, id, name: pending.name, requestId: pending.requestId, resource: hubId },
      pending.payload,
    );
    const targets = pending.onlyWebhookId
      ? webhooks.filter((webhook) => webhook.id === pending.onlyWebhookId)
      : webhooks.filter((webhook) => webhook.active && webhook.events.includes(pending.name));
    if (pending.onlyWebhookId && targets.length === 0) throw new NotFoundError('Webhook', pending.onlyWebhookId);
    const deliveries = targets.map((webhook): EmittedDelivery => {
      const filterReport = evaluateFilters(webhook.filters, envelope);
      // Derived from the event's id: the delivery shares its event's day partition.
      const deliveryId = deliveryIdFor(id, webhook.id);
      return {
        id: deliveryId,
        webhookId: webhook.id,
        status: filterReport.matched ? 'QUEUED' : 'FILTERED',
        filterReport,
      };
    });
    planned.push({ pending, id, deliveries });
  }
  return planned;
}

async function commitBatch(hubId: string, batch: PendingEmit[]): Promise<EmittedEvent[]> {
  const planned = await planBatch(hubId, batch);
  const events = await inTransaction(async (client) => {
    const { rows } = await client.query<{ last: string }>(
      'UPDATE hubs SET last_sequence_id = last_sequence_id + $2 WHERE id = $1 RETURNING last_sequence_id AS last',
      [hubId, batch.length],
    );
    if (!rows[0]) throw new NotFoundError('Hub', hubId);
    const firstSequenceId = Number(rows[0].last) - batch.length + 1;
    const events = planned.map(
      ({ pending, id, deliveries }, index): EmittedEvent => ({
        id,
        sequenceId: firstSequenceId + index,
        envelope: envelopeOf(
          {
            sequenceId: firstSequenceId + index,
            id,
            name: pending.name,
            requestId: pending.requestId,
            resource: hubId,
          },
          pending.payload,
        ),
        deliveries,
      }),
    );
    await insertEvents(client, hubId, events);
    await enqueueDeliveries(
      client,
      hubId,
      events.flatMap((event) => event.deliveries.map((delivery) => ({ ...delivery, eventId: event.id }))),
    );
    await rememberContentItems(
      client,
      hubId,
      events.map(({ envelope }) => envelope),
    );
    return events;
  });
  recordIngestion(hubId, events);
  return events;
}

async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await database().pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

// Ingestion is the enqueue side of the outbox and its hot path, so like the claim it is raw SQL on
// the shared pool: through Prisma (an interactive transaction, createMany serialising JSON
// columns) an event cost several milliseconds of CPU, which capped a hub at a few dozen events
// per second. The insert is one statement, all rows passed as a single JSON parameter.

async function insertEvents(client: pg.PoolClient, hubId: string, events: EmittedEvent[]): Promise<void> {
  const rows = events.map(({ envelope }) => ({
    id: envelope.id,
    sequence_id: envelope.sequenceId,
    name: envelope.name,
    request_id: envelope.requestId,
    payload: envelope.payload,
  }));
  await client.query(
    `INSERT INTO events (id, hub_id, sequence_id, name, request_id, payload)
     SELECT r.id, $1, r.sequence_id, r.name, r.request_id, r.payload
       FROM json_to_recordset($2::json) AS r(id uuid, sequence_id bigint, name text, request_id text, payload json)`,
    [hubId, JSON.stringify(rows)],
  );
}

async function subscribedWebhooks(client: pg.Pool, hubId: string, batch: PendingEmit[]): Promise<SubscribedWebhook[]> {
  const names = [...new Set(batch.filter((pending) => !pending.onlyWebhookId).map((pending) => pending.name))];
  const targeted = [...new Set(batch.flatMap((pending) => (pending.onlyWebhookId ? [pending.onlyWebhookId] : [])))];
  const { rows } = await client.query<SubscribedWebhook>(
    `SELECT w.id, w.active, w.events,
            COALESCE(json_agg(json_build_object('type', f.type, 'arguments',
                       json_build_array(json_build_object('jsonPath', f.json_path), json_build_object('value', f.value)))
                     ORDER BY f.position) FILTER (WHERE f.id IS NOT NULL), '[]') AS filters
       FROM webhooks w LEFT JOIN webhook_filters f ON f.webhook_id = w.id
      WHERE w.hub_id = $1 AND ((w.active AND w.events && $2::text[]) OR w.id = ANY($3::text[]))
      GROUP BY w.id`,
    [hubId, names, targeted],
  );
  return rows;
}
