import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { deliveryIdFor } from '../../lib/outbox/delivery-id';

/**
 * Activity-log rows dated in the past, for tests of partitions and retention: what emitEvent and
 * the worker would have written on that day (ids carry the day's time, as uuid7 ids do).
 * lib/crypto/uuid7 cannot make them: it never goes back in time.
 */

/** A uuid7 of the given millisecond, with random bits after the time. */
export function uuid7At(ms: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface PastDelivery {
  eventId: string;
  deliveryId: string;
  sequenceId: number;
}

/**
 * One event at `ms` with one delivery to `webhookId` in `status` (and, unless FILTERED or
 * QUEUED, one attempt). The hub's sequence counter moves on as an emit would move it.
 */
export async function insertPastDelivery(
  pool: pg.Pool,
  { hubId, webhookId, ms, status = 'DELIVERED' }: { hubId: string; webhookId: string; ms: number; status?: string },
): Promise<PastDelivery> {
  const eventId = uuid7At(ms);
  const deliveryId = deliveryIdFor(eventId, webhookId);
  const at = new Date(ms);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ sequence_id: string }>(
      'UPDATE hubs SET last_sequence_id = last_sequence_id + 1 WHERE id = $1 RETURNING last_sequence_id AS sequence_id',
      [hubId],
    );
    const sequenceId = Number(rows[0]?.sequence_id);
    await client.query(
      `INSERT INTO events (id, hub_id, sequence_id, name, request_id, payload, created_date)
       VALUES ($1, $2, $3, 'dynamic-content.content-item.updated', $4, '{}', $5)`,
      [eventId, hubId, sequenceId, `request-${sequenceId}`, at],
    );
    const pending = status === 'QUEUED' || status === 'RETRYING';
    await client.query(
      `INSERT INTO deliveries (id, hub_id, event_id, webhook_id, status, attempt_count, next_attempt_at, created_date)
       VALUES ($1, $2, $3, $4, $5::delivery_status, $6, $7, $8)`,
      [
        deliveryId,
        hubId,
        eventId,
        webhookId,
        status,
        status === 'QUEUED' || status === 'FILTERED' ? 0 : 1,
        pending ? at : null,
        at,
      ],
    );
    if (status !== 'QUEUED' && status !== 'FILTERED') {
      await client.query(
        `INSERT INTO delivery_attempts (id, delivery_id, number, chain, started_at, duration_ms, request_headers,
                                        response_status, succeeded)
         VALUES (gen_random_uuid(), $1, 1, 1, $2, 12, '{}', $3, $4)`,
        [deliveryId, at, status === 'DELIVERED' ? 200 : 500, status === 'DELIVERED'],
      );
    }
    await client.query('COMMIT');
    return { eventId, deliveryId, sequenceId };
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
