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
  if (!UUID.test(eventId)) throw new Error(`not a uuid: ${eventId}`);
  const hash = createHash('sha256').update(eventId.toLowerCase()).update('/').update(webhookId).digest('hex');
  // Text, not bytes: this runs for every delivery of every event.
  const variant = (8 | (Number.parseInt(hash.charAt(0), 16) & 3)).toString(16);
  const time = eventId.slice(0, 18).toLowerCase();
  return `${time.slice(0, 14)}7${time.slice(15)}-${variant}${hash.slice(1, 4)}-${hash.slice(4, 16)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
