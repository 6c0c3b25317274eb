import { describe, expect, it } from 'vitest';
import { database, prisma } from '../../lib/db/client';
import { pruneActivityLog } from '../../lib/activity-log/retention';
import { emitEvent } from '../../lib/events/emit-event';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { defaultHubId } from '../support/herald';

describe('activity log retention', () => {
  it('removes old events with their deliveries, but keeps recent ones and anything still pending', async () => {
    const hubId = await defaultHubId();
    await createWebhook(hubId, {
      label: 'Kept',
      events: ['dynamic-content.edition.scheduled'],
      handlers: ['https://example.com/h'],
    });
    const emit = () => emitEvent(hubId, { name: 'dynamic-content.edition.scheduled', payload: {} });
    const [old, oldPending, recent] = [await emit(), await emit(), await emit()];
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    await prisma().event.updateMany({ where: { id: { in: [old.id, oldPending.id] } }, data: { createdDate: longAgo } });
    await prisma().delivery.updateMany({ where: { eventId: old.id }, data: { status: 'DELIVERED' } });

    expect(await pruneActivityLog(database().pool, 30 * 86_400_000)).toBe(1);
    const left = await prisma().event.findMany({ where: { id: { in: [old.id, oldPending.id, recent.id] } } });
    expect(left.map((event) => event.id).sort()).toEqual([oldPending.id, recent.id].sort());
    expect(await prisma().delivery.count({ where: { eventId: old.id } })).toBe(0);
  });
});

describe('queue maintenance', () => {
  it('vacuums the delivery queue only when the server has no autovacuum', async () => {
    const { vacuumOutboxIfNeeded } = await import('../../lib/outbox/vacuum');
    const { rows } = await database().pool.query<{ autovacuum: string }>(
      "SELECT current_setting('autovacuum') AS autovacuum",
    );
    expect(await vacuumOutboxIfNeeded(database().pool)).toBe(rows[0]?.autovacuum === 'off');
  });

  it('tunes the queue table for churn', async () => {
    const { rows } = await database().pool.query<{ options: string[] }>(
      "SELECT reloptions AS options FROM pg_class WHERE relname = 'deliveries'",
    );
    expect(rows[0]?.options).toEqual(expect.arrayContaining(['fillfactor=80', 'autovacuum_vacuum_scale_factor=0.02']));
  });
});
