import { recordAudit } from '../audit/record-audit';
import type { AuditContext } from '../audit/types';
import { prisma } from '../db/client';
import { type EmittedEvent, emitEvent } from './emit-event';

/**
 * An event emitted by a person from the admin's Events page, and the audit entry naming who did
 * it: the event (id, name, sequenceId) and how many deliveries it made (queued and filtered).
 * As for a test event (lib/webhooks/send-test-event.ts), the entry is written once the event has
 * committed, since the emit is one statement on the ingestion path that takes no other writes:
 * an event is never recorded as emitted unless it was.
 */
export async function emitEventFromAdmin(
  hubId: string,
  input: { name: string; payload: unknown },
  context: AuditContext,
): Promise<EmittedEvent> {
  const event = await emitEvent(hubId, input);
  const queued = event.deliveries.filter((delivery) => delivery.status === 'QUEUED').length;
  await recordAudit(prisma(), {
    hubId,
    ...context,
    action: 'event.emitted',
    target: { type: 'event', id: event.id, label: `${input.name} #${event.sequenceId}` },
    changes: {
      name: { from: null, to: input.name },
      sequenceId: { from: null, to: event.sequenceId },
      deliveries: { from: null, to: event.deliveries.length },
      queued: { from: null, to: queued },
      filtered: { from: null, to: event.deliveries.length - queued },
    },
  });
  return event;
}
