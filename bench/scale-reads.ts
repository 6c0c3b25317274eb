import type pg from 'pg';
import { DAY_MS, uuidFloor } from '../lib/activity-log/partitions';
import { encodeCursor, getDelivery, listDeliveries } from '../lib/activity-log/read-deliveries';
import { listRecentEvents } from '../lib/activity-log/recent-events';
import { webhookStats } from '../lib/activity-log/webhook-stats';

/**
 * The activity log's reads at scale, each through the same lib/ function the admin UI and the API
 * call, timed over several runs after one warm-up: what a person paging the log would wait for.
 */

export interface ReadFigure {
  label: string;
  medianMs: number;
  maxMs: number;
}

const RUNS = 15;

async function timed(label: string, read: () => Promise<unknown>): Promise<ReadFigure> {
  await read();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const startedAt = performance.now();
    await read();
    times.push(performance.now() - startedAt);
  }
  times.sort((a, b) => a - b);
  return { label, medianMs: times[Math.floor(times.length / 2)] as number, maxMs: times.at(-1) as number };
}

/** A delivery of `webhookId` from about `daysAgo` days back (the first after that instant). */
async function deliveryAround(pool: pg.Pool, webhookId: string, daysAgo: number) {
  const { rows } = await pool.query<{ id: string; created_date: Date; sequence_id: string }>(
    `SELECT d.id, d.created_date, e.sequence_id FROM deliveries d JOIN events e ON e.id = d.event_id
      WHERE d.webhook_id = $1 AND d.id >= $2::uuid AND d.status <> 'FILTERED' ORDER BY d.id LIMIT 1`,
    [webhookId, uuidFloor(Date.now() - daysAgo * DAY_MS)],
  );
  const row = rows[0];
  if (!row) throw new Error(`no delivery ${daysAgo} days back`);
  return row;
}

export async function measureReads(pool: pg.Pool, hubId: string, webhookId: string): Promise<ReadFigure[]> {
  const deep = await deliveryAround(pool, webhookId, 20);
  const oldest = await deliveryAround(pool, webhookId, 29);
  const deepCursor = encodeCursor({ createdDate: deep.created_date, id: deep.id });
  const figures = [
    await timed('newest-20 page of one webhook', () => listDeliveries(hubId, webhookId, { limit: 20 })),
    await timed('page 20 days deep (cursor)', () =>
      listDeliveries(hubId, webhookId, { limit: 20, cursor: deepCursor }),
    ),
    await timed('page of FAILED only, 20 days deep', () =>
      listDeliveries(hubId, webhookId, { limit: 20, cursor: deepCursor, status: 'FAILED' }),
    ),
    await timed('delivery details (29 days old)', () => getDelivery(hubId, webhookId, oldest.id)),
    await timed('recent events (newest 25)', () => listRecentEvents(hubId, { limit: 25 })),
    await timed('recent events 20 days deep', () =>
      listRecentEvents(hubId, { limit: 25, beforeSequenceId: Number(deep.sequence_id) }),
    ),
    await timed('webhook stats (list page, 24 h)', () => webhookStats(hubId)),
  ];
  return figures;
}

/** EXPLAIN ANALYZE of the outbox claim's scan across every partition (in a transaction rolled back). */
export async function explainClaim(pool: pg.Pool): Promise<string[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
       SELECT id FROM deliveries
        WHERE status IN ('QUEUED', 'RETRYING') AND next_attempt_at <= now()
          AND (lease_until IS NULL OR lease_until < now())
        ORDER BY next_attempt_at LIMIT 100 FOR UPDATE SKIP LOCKED`,
    );
    await client.query('ROLLBACK');
    return rows.map((row) => row['QUERY PLAN']);
  } finally {
    client.release();
  }
}
