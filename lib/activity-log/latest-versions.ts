import { type Param, type PrismaRaw, param, queryInPrisma, sql, statement } from '../db/sql';
import { DomainError } from '../errors';

/**
 * Redeliver and recover for latest-mode webhooks (README "Latest version only, and debounce"): an
 * older version of a key is never sent again once a newer one exists, so a superseded delivery,
 * or an older one beside a newer, is refused (redeliver) or skipped (recover).
 */

/** What these checks need of a Prisma transaction client. */
export type RawQueries = Pick<PrismaRaw, '$queryRawUnsafe'>;

export class OlderVersionError extends DomainError {
  override name = 'OlderVersionError';
  constructor(
    readonly id: string,
    readonly newerId: string,
    superseded: boolean,
  ) {
    super(
      `Request ${id} ${superseded ? 'was superseded' : 'is an older version'}: request ${newerId} is a newer version ` +
        `of the same content item, and this webhook delivers only the latest version (an older one is never sent ` +
        `after a newer one). Redeliver ${newerId} instead`,
    );
  }
}

const HOLD_HUB_EMITS = statement(
  'activity-hold-hub-emits',
  { hubId: param<string>() },
  (p) => sql`SELECT 1 FROM hubs WHERE id = ${p.hubId} FOR NO KEY UPDATE`,
);

/**
 * Takes the hub's emit lock (the row every emit of the hub updates), so no newer version can be
 * committed between the check below and the caller's update: that update stays the newest.
 */
export async function holdHubEmits(tx: RawQueries, hubId: string): Promise<void> {
  await queryInPrisma(tx, HOLD_HUB_EMITS, { hubId });
}

// By the delivery's id, which the planner prunes to that id's day only when it sees the value.
const NEWEST_VERSION = statement<{ deliveryId: Param<string> }, { id: string }>(
  'activity-newest-version',
  { deliveryId: param('uuid') },
  (p) => sql`SELECT n.id::text AS id
       FROM deliveries d
       JOIN deliveries n ON n.webhook_id = d.webhook_id AND n.delivery_key = d.delivery_key
       JOIN events e ON e.id = n.event_id
      WHERE d.id = ${p.deliveryId} AND d.delivery_key IS NOT NULL
      ORDER BY e.sequence_id DESC LIMIT 1`,
  { planEachRun: true },
);

/** The newest version of a delivery's key, when it is not that delivery. */
export async function newestVersion(tx: RawQueries, deliveryId: string): Promise<string | null> {
  const rows = await queryInPrisma(tx, NEWEST_VERSION, { deliveryId });
  const newest = rows[0]?.id ?? null;
  return newest === deliveryId ? null : newest;
}

/**
 * Refuses to redeliver `delivery` when it was superseded or a newer version of its key exists;
 * holds the hub's emits until the caller's transaction ends, so none slips in meanwhile.
 */
export async function refuseOlderVersion(
  tx: RawQueries,
  hubId: string,
  delivery: { id: string; status: string; deliveryKey: string | null },
): Promise<void> {
  if (delivery.deliveryKey === null) return;
  await holdHubEmits(tx, hubId);
  const newer = await newestVersion(tx, delivery.id);
  if (newer !== null) throw new OlderVersionError(delivery.id, newer, delivery.status === 'SUPERSEDED');
}
