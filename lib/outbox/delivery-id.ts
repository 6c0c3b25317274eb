import { createHash } from 'node:crypto';

/**
 * A delivery's id: its event's uuid7 time and counter (the first 64 bits), then 62 bits of
 * SHA-256 over (event id, webhook id). Three things follow:
 * - the activity log is partitioned by day on these ids, and a delivery always falls in its
 *   event's day (the database checks the shared 48-bit time), so the two are dropped together;
 * - a webhook's deliveries sort by their events' order, newest first on the (webhook_id, id) index;
 * - one event cannot be delivered twice to one webhook: the second id equals the first, and the
 *   primary key refuses it, as the (event_id, webhook_id) unique index did before partitioning.
 */
export function deliveryIdFor(eventId: string, webhookId: string): string {
  const event = Buffer.from(eventId.replaceAll('-', ''), 'hex');
  if (event.length !== 16) throw new Error(`not a uuid: ${eventId}`);
  const digest = createHash('sha256').update(event).update(webhookId, 'utf8').digest();
  const bytes = Buffer.concat([event.subarray(0, 8), digest.subarray(0, 8)]);
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
