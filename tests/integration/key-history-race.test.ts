import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { database } from '../../lib/db/client';
import { commitEvents } from '../../lib/events/commit-events';
import { createHub } from '../../lib/hubs/hubs';
import { createWebhook } from '../../lib/webhooks/create-webhook';

const EVENT = 'dynamic-content.content-item.updated';
const event = (slug: string) => ({ name: EVENT, payload: { id: 'raced-item', body: { slug } }, requestId: slug });

/**
 * A pool whose read of the stored key heads is followed, before the emit goes on, by `meanwhile`:
 * another process's emit landing between this emit's plan and its commit.
 */
function poolWithEmitAfterHeadsRead(pool: pg.Pool, meanwhile: () => Promise<unknown>): pg.Pool {
  let raced = false;
  return new Proxy(pool, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver);
      return async (config: pg.QueryConfig) => {
        const result = await target.query(config);
        if (config.name === 'herald-read-key-heads' && !raced) {
          raced = true;
          await meanwhile();
        }
        return result;
      };
    },
  });
}

describe('changed filters under concurrent emits from other processes', () => {
  it('compare with the event committed meanwhile: the emit plans again rather than compare with a stale one', async () => {
    const pool = database().pool;
    const hub = await createHub('key-race', 'Key race');
    await createWebhook(hub.id, {
      label: 'slug',
      events: [EVENT],
      handlers: ['https://example.com/h'],
      filters: [{ type: 'changed', arguments: [{ jsonPath: '$.payload.body.slug' }] }],
    });
    const [first] = await commitEvents(pool, hub.id, [event('a')]);
    expect(first?.deliveries[0]?.status).toBe('QUEUED');

    let other: Awaited<ReturnType<typeof commitEvents>> = [];
    const racing = poolWithEmitAfterHeadsRead(pool, async () => {
      other = await commitEvents(pool, hub.id, [event('b')]);
    });
    const [mine] = await commitEvents(racing, hub.id, [event('b')]);
    expect(other[0]?.deliveries[0]?.status).toBe('QUEUED');
    // Its previous event is the other process's (slug "b"), not the first one's (slug "a").
    expect(mine?.deliveries[0]?.status).toBe('FILTERED');
    expect(mine?.deliveries[0]?.filterReport.filters[0]?.change).toBe('was "b", now "b"');
    const { rows } = await pool.query<{ id: string; previous_event_id: string | null }>(
      'SELECT id, previous_event_id FROM events WHERE hub_id = $1 ORDER BY sequence_id',
      [hub.id],
    );
    expect(rows.map((row) => row.previous_event_id)).toEqual([null, first?.id, other[0]?.id]);
    expect(rows.map((row) => row.id)).toEqual([first?.id, other[0]?.id, mine?.id]);
  });
});
