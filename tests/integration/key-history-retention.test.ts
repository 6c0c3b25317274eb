import { describe, expect, it } from 'vitest';
import { DAY_MS, ensureLogPartitions } from '../../lib/activity-log/partitions';
import { describeRetention, pruneActivityLog } from '../../lib/activity-log/retention';
import { database } from '../../lib/db/client';
import { emitEvent } from '../../lib/events/emit-event';
import { createHub } from '../../lib/hubs/hubs';
import { previousPayloadJson } from '../../lib/key-history/previous-payload';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { insertPastDelivery } from '../support/log-rows';

const EVENT = 'dynamic-content.content-item.updated';

async function heads(hubId: string) {
  const { rows } = await database().pool.query<{ key: string; event_id: string; displaced_event_id: string | null }>(
    'SELECT key, event_id, displaced_event_id FROM event_key_heads WHERE hub_id = $1 ORDER BY key',
    [hubId],
  );
  return rows;
}

describe('key history under retention', () => {
  it('forgets keys whose latest event was dropped: their next event is their first, and previous is gone', async () => {
    const pool = database().pool;
    const hub = await createHub('key-retention', 'Key retention');
    const webhook = await createWebhook(hub.id, {
      label: 'changed',
      events: [EVENT],
      handlers: ['https://example.com/h'],
      filters: [{ type: 'changed', arguments: [{ jsonPath: '$.payload.body.slug' }] }],
    });
    const ago = Date.now() - 60 * DAY_MS;
    await ensureLogPartitions(pool, { now: new Date(ago), daysAhead: 0 });
    // Two keys last seen 60 days ago (an emit then would have written these rows).
    const past = await insertPastDelivery(pool, { hubId: hub.id, webhookId: webhook.id, ms: ago });
    await pool.query(
      `INSERT INTO event_key_heads (hub_id, key, event_id) VALUES ($1, 'quiet-item', $2), ($1, 'busy-item', $2)`,
      [hub.id, past.eventId],
    );
    // One of them changes today: its event points at the old one, whose payload is still kept.
    const today = await emitEvent(hub.id, { name: EVENT, payload: { id: 'busy-item', body: { slug: 'a' } } });
    expect(await previousPayloadJson(today.id, hub.id)).toBe('{}');
    expect(await heads(hub.id)).toEqual([
      { key: 'busy-item', event_id: today.id, displaced_event_id: past.eventId },
      { key: 'quiet-item', event_id: past.eventId, displaced_event_id: null },
    ]);

    const report = await pruneActivityLog(pool, 30 * DAY_MS);
    expect(report?.keyHeadsDeleted).toBeGreaterThanOrEqual(1);
    expect(describeRetention(report ?? { dropped: [], kept: [], postponed: [], keyHeadsDeleted: 0 })).toContainEqual(
      expect.stringMatching(/^retention forgot \d+ keys whose latest event was dropped$/),
    );
    // No row points into the dropped day any more.
    expect(await heads(hub.id)).toEqual([{ key: 'busy-item', event_id: today.id, displaced_event_id: null }]);
    expect(await previousPayloadJson(today.id, hub.id)).toBeNull();

    const again = await emitEvent(hub.id, { name: EVENT, payload: { id: 'quiet-item', body: { slug: 'q' } } });
    expect(again.deliveries[0]?.status).toBe('QUEUED');
    expect(again.deliveries[0]?.filterReport.filters[0]).toMatchObject({
      outcome: 'matched',
      change: 'first event of this key',
    });
  });
});
