import { MAX_BATCH_EVENTS, ZEmitBatchInput, ZEmitEventInput } from '../events/emit-event';
import { ingestAnswer, MAX_BATCH_BODY_BYTES } from './ingest';
import { MAX_API_BODY_BYTES } from './json-body';
import { WIRE } from './route-helpers';
import { type BearerRoute, route } from './route-types';

const IDEMPOTENCY_ERRORS = {
  409: 'Another request with this Idempotency-Key was being handled at the same moment: send this one again (Retry-After)',
  422: 'This Idempotency-Key was used with another body on this hub (IDEMPOTENCY_KEY_REUSED)',
} as const;

// Ingestion, the hot path: the body's bytes go to the emit as they are (the Idempotency-Key hashes them).
export const EVENT_ROUTES: BearerRoute[] = [
  route(
    'POST',
    '/v2/content/hubs/:hubId/events',
    {
      scope: 'events:write',
      bodyLimitBytes: MAX_API_BODY_BYTES,
      idempotencyKey: true,
      doc: {
        operationId: 'emitEvent',
        tag: 'Events',
        summary: 'Send an event',
        description:
          'Answered once the event and its deliveries are committed: nothing accepted is lost. ' +
          'Each webhook subscribed to the event gets a delivery (FILTERED when its filters do not match).',
        body: { name: 'EmitEvent', schema: ZEmitEventInput },
        success: { status: 202, description: 'The event and its deliveries', body: WIRE.event },
        errors: IDEMPOTENCY_ERRORS,
      },
    },
    (context) => ingestAnswer(context.params.hubId, context, false),
  ),

  route(
    'POST',
    '/v2/content/hubs/:hubId/events:batch',
    {
      scope: 'events:write',
      bodyLimitBytes: MAX_BATCH_BODY_BYTES,
      idempotencyKey: true,
      doc: {
        operationId: 'emitEvents',
        tag: 'Events',
        summary: `Send up to ${MAX_BATCH_EVENTS} events at once`,
        description:
          'All or nothing, with consecutive sequenceIds in the order sent; a validation error names the event (`events.3.payload`).',
        body: { name: 'EmitEventBatch', schema: ZEmitBatchInput },
        success: { status: 202, description: 'The events, in the order sent', body: WIRE.eventBatch },
        errors: IDEMPOTENCY_ERRORS,
      },
    },
    (context) => ingestAnswer(context.params.hubId, context, true),
  ),
];
