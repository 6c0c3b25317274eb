import { type EmittedEvent, emitEvent, emitEvents } from '../events/emit-event';

/**
 * Event ingestion's answers, shared by the API router and the web server's direct path for these
 * two routes (lib/server/ingest-route.ts). Both answer 202 only once the events are committed.
 */

/** Largest `events:batch` body: 500 events of a few KB each, with room to spare. */
export const MAX_BATCH_BODY_BYTES = 4 * 1024 * 1024;

function eventAnswer(event: EmittedEvent) {
  return {
    id: event.id,
    sequenceId: event.sequenceId,
    deliveries: event.deliveries.map(({ id, webhookId, status }) => ({ id, webhookId, status })),
  };
}

/** `POST …/events`: `{ name, payload, requestId? }` → `{ id, sequenceId, deliveries }`. */
export async function ingestEvent(hubId: string, body: unknown) {
  return eventAnswer(await emitEvent(hubId, body));
}

/** `POST …/events:batch`: `{ events: [...] }`, all or nothing → `{ events: [{ id, sequenceId, deliveries }] }` in order. */
export async function ingestBatch(hubId: string, body: unknown) {
  return { events: (await emitEvents(hubId, body)).map(eventAnswer) };
}
