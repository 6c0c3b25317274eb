import { describe, expect, it } from 'vitest';
import { listRecentEvents } from '../../../lib/activity-log/recent-events';
import { webhookStats } from '../../../lib/activity-log/webhook-stats';
import { prisma } from '../../../lib/db/client';
import { emitEvent } from '../../../lib/events/emit-event';
import { createHub } from '../../../lib/hubs/hubs';
import { createWebhook } from '../../../lib/webhooks/create-webhook';

const EVENT = 'dynamic-content.content-item.updated';

describe('webhook list stats and recent events', () => {
  it('gives the last sent delivery and the 24 h success rate per webhook in one query', async () => {
    const hub = await createHub('stats-test', 'Stats');
    const base = { events: [EVENT], handlers: ['https://example.com/hook'] };
    const busy = await createWebhook(hub.id, { ...base, label: 'busy' });
    const filtered = await createWebhook(hub.id, {
      ...base,
      label: 'filtered',
      filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.id' }, { value: 'never' }] }],
    });
    const idle = await createWebhook(hub.id, { ...base, label: 'idle' });
    await prisma().webhook.update({ where: { id: idle.id }, data: { active: false } });

    for (let i = 0; i < 5; i++) await emitEvent(hub.id, { name: EVENT, payload: { id: `item-${i}` } });
    const deliveries = await prisma().delivery.findMany({
      where: { webhookId: busy.id },
      orderBy: { createdDate: 'asc' },
    });
    // The last delivery sent comes from the log itself…
    const last = deliveries.at(-1);
    await prisma().delivery.update({ where: { id: last!.id }, data: { status: 'DELIVERED', lastStatusCode: 200 } });
    // …the 24 h counts from the per-minute rows the outcome writes keep: one row is older than the window.
    const minute = (msAgo: number) => new Date(Math.floor((Date.now() - msAgo) / 60_000) * 60_000);
    await prisma().deliveryStat.createMany({
      data: [
        { webhookId: busy.id, hubId: hub.id, minute: minute(48 * 3600 * 1000), failed: 1 },
        { webhookId: busy.id, hubId: hub.id, minute: minute(3600 * 1000), delivered: 2, failed: 1 },
        { webhookId: busy.id, hubId: hub.id, minute: minute(0), delivered: 1 },
      ],
    });

    const stats = await webhookStats(hub.id);
    expect(stats.get(busy.id)).toMatchObject({
      lastStatus: 'DELIVERED',
      lastStatusCode: 200,
      attempted24h: 4,
      delivered24h: 3,
      failed24h: 1,
      successRate24h: 0.75,
    });
    // Filtered events are not "sent": no last delivery, no rate.
    expect(stats.get(filtered.id)).toMatchObject({ lastStatus: null, attempted24h: 0, successRate24h: null });
    expect(stats.get(idle.id)).toMatchObject({ lastStatus: null, successRate24h: null });
    // Scoped to the hub.
    const other = await createHub('stats-other', 'Other');
    expect((await webhookStats(other.id)).size).toBe(0);
  });

  it('lists a hub’s events newest first with their deliveries, paged by sequenceId', async () => {
    const hub = await createHub('events-test', 'Events');
    const webhook = await createWebhook(hub.id, {
      label: 'listener',
      events: [EVENT],
      handlers: ['https://example.com/x'],
    });
    for (let i = 0; i < 3; i++) await emitEvent(hub.id, { name: EVENT, payload: { id: `e-${i}` } });
    await emitEvent(hub.id, { name: 'dynamic-content.edition.scheduled', payload: {} });

    const first = await listRecentEvents(hub.id, { limit: 3 });
    expect(first.items.map((event) => event.sequenceId)).toEqual([4, 3, 2]);
    expect(first.items[0]?.deliveries).toEqual([]);
    expect(first.items[1]?.deliveries).toEqual([
      expect.objectContaining({ webhookId: webhook.id, webhookLabel: 'listener', status: 'QUEUED' }),
    ]);
    expect(first.nextBefore).toBe(2);
    const second = await listRecentEvents(hub.id, { limit: 3, beforeSequenceId: first.nextBefore! });
    expect(second.items.map((event) => event.sequenceId)).toEqual([1]);
    expect(second.nextBefore).toBeNull();
  });
});
