import type { EventEnvelope } from './catalog';

/** Everything in the standard envelope but the payload. */
export type EnvelopeHead = Omit<EventEnvelope, 'payload'>;

/** The standard envelope `{ sequenceId, id, name, requestId, resource, payload }`, as filters see it. */
export function envelopeOf(head: EnvelopeHead, payload: Record<string, unknown>): EventEnvelope {
  return {
    sequenceId: head.sequenceId,
    id: head.id,
    name: head.name,
    requestId: head.requestId,
    resource: head.resource,
    payload,
  };
}

/**
 * The same envelope as JSON text, built around the payload's stored text: the bytes
 * `JSON.stringify(envelopeOf(head, JSON.parse(payloadJson)))` gives, without parsing the payload
 * on the worker's hot path (it is stored as `json`, exactly as sent).
 */
export function envelopeJson(head: EnvelopeHead, payloadJson: string): string {
  return (
    `{"sequenceId":${head.sequenceId},"id":${JSON.stringify(head.id)},"name":${JSON.stringify(head.name)},` +
    `"requestId":${JSON.stringify(head.requestId)},"resource":${JSON.stringify(head.resource)},` +
    `"payload":${payloadJson}}`
  );
}
