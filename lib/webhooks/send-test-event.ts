import { recordAudit } from '../audit/record-audit';
import type { AuditContext } from '../audit/types';
import { prisma } from '../db/client';
import { type EmittedEvent, emitEvent } from '../events/emit-event';

/**
 * "Send test event": an event delivered to this webhook only, whatever its triggers, and an audit
 * entry naming who sent it. The entry is written once the event has committed: emitting is one
 * statement on the ingestion path (lib/events/commit-events.ts) that takes no other writes, so
 * the entry follows it rather than sharing its transaction. An event is never recorded as sent
 * unless it was.
 */
export async function sendTestEvent(
  hubId: string,
  webhookId: string,
  input: { name: string; payload: Record<string, unknown> },
  context: AuditContext,
): Promise<EmittedEvent> {
  const event = await emitEvent(hubId, input, { onlyWebhookId: webhookId });
  const webhook = await prisma().webhook.findUnique({ where: { id: webhookId }, select: { label: true } });
  await recordAudit(prisma(), {
    hubId,
    ...context,
    action: 'webhook.test-sent',
    target: { type: 'webhook', id: webhookId, ...(webhook ? { label: webhook.label } : {}) },
    changes: {
      event: { from: null, to: `${input.name} #${event.sequenceId}` },
      delivery: { from: null, to: event.deliveries[0]?.id ?? null },
    },
  });
  return event;
}
