import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { uuid7 } from '../crypto/uuid7';
import { prisma } from '../db/client';
import { NotFoundError, parseInput } from '../errors';
import { evaluateFilters } from '../filters/evaluate';
import type { FilterReport, TFilter } from '../filters/types';
import { type EventEnvelope, ZEventName } from './catalog';
import { rememberContentItem } from './remember-content-item';

export const DELIVERIES_CHANNEL = 'herald_deliveries';

export const ZEmitEventInput = z.object({
  name: ZEventName,
  payload: z.record(z.string(), z.unknown(), { error: 'payload must be a JSON object' }),
  requestId: z.string().trim().min(1).max(128, 'requestId may be at most 128 characters').optional(),
});

export type TEmitEventInput = z.input<typeof ZEmitEventInput>;

export interface EmitOptions {
  /** "Send test event": deliver to this webhook only, whatever its triggers. */
  onlyWebhookId?: string;
}

export interface EmittedEvent {
  id: string;
  sequenceId: number;
  envelope: EventEnvelope;
  deliveries: { id: string; webhookId: string; status: 'QUEUED' | 'FILTERED'; filterReport: FilterReport }[];
}

/**
 * Records an event and its deliveries in one transaction: when this returns, nothing can be lost.
 * The hub row lock taken by the sequence increment makes `sequenceId` gap-free and increasing.
 */
export async function emitEvent(
  hubId: string,
  input: TEmitEventInput,
  options: EmitOptions = {},
): Promise<EmittedEvent> {
  const data = parseInput(ZEmitEventInput, input);
  const id = uuid7();
  const requestId = data.requestId ?? randomUUID();

  return prisma().$transaction(async (tx) => {
    const hub = await tx.hub
      .update({ where: { id: hubId }, data: { lastSequenceId: { increment: 1 } }, select: { lastSequenceId: true } })
      .catch(() => null);
    if (!hub) throw new NotFoundError('Hub', hubId);
    const sequenceId = Number(hub.lastSequenceId);
    const envelope: EventEnvelope = {
      sequenceId,
      id,
      name: data.name,
      requestId,
      resource: hubId,
      payload: data.payload,
    };

    const webhooks = await tx.webhook.findMany({
      where: options.onlyWebhookId
        ? { hubId, id: options.onlyWebhookId }
        : { hubId, active: true, events: { has: data.name } },
      select: { id: true, filters: { orderBy: { position: 'asc' } } },
    });
    if (options.onlyWebhookId && webhooks.length === 0) throw new NotFoundError('Webhook', options.onlyWebhookId);

    const now = new Date();
    const deliveries = webhooks.map((webhook) => {
      const filters = webhook.filters.map(
        (filter) =>
          ({ type: filter.type, arguments: [{ jsonPath: filter.jsonPath }, { value: filter.value }] }) as TFilter,
      );
      const filterReport = evaluateFilters(filters, envelope);
      return {
        id: uuid7(),
        webhookId: webhook.id,
        status: filterReport.matched ? ('QUEUED' as const) : ('FILTERED' as const),
        filterReport,
      };
    });

    await tx.event.create({
      data: { id, hubId, sequenceId, name: data.name, requestId, payload: data.payload as object },
    });
    if (deliveries.length > 0) {
      await tx.delivery.createMany({
        data: deliveries.map((delivery) => ({
          id: delivery.id,
          hubId,
          eventId: id,
          webhookId: delivery.webhookId,
          status: delivery.status,
          filterReport: delivery.filterReport as unknown as object,
          nextAttemptAt: delivery.status === 'QUEUED' ? now : null,
        })),
      });
    }
    await rememberContentItem(tx, hubId, data.name, data.payload);
    if (deliveries.some((delivery) => delivery.status === 'QUEUED')) {
      // Delivered to listeners at commit, so a woken worker always finds the rows.
      await tx.$executeRawUnsafe(`NOTIFY ${DELIVERIES_CHANNEL}`);
    }
    return { id, sequenceId, envelope, deliveries };
  });
}
