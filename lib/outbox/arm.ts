import { bound, jsonParam, param, type Queryable, sql, statement } from '../db/sql';
import { DELIVERIES_CHANNEL } from './channel';

/** A webhook that has a delivery due at `at` (null: now). */
export interface Arm {
  webhookId: string;
  at: Date | null;
}

const WAKE_WORKERS = sql`pg_notify(${bound(DELIVERIES_CHANNEL)}, '')`;

/**
 * Tells the claim that webhooks have work, AFTER the transaction that made it due committed: a claim
 * whose snapshot predates that commit sees the arm (armed_at later than its start) and keeps the
 * webhook due instead of calling it drained. Then NOTIFYs the workers (delivered at this statement's
 * commit, so a woken worker finds the webhook armed). Rows are written in webhook order, so two arms
 * never wait on each other in a circle; a webhook deleted meanwhile is skipped.
 *
 * It commits without waiting for the disk (synchronous_commit off for this statement's own
 * transaction): an arm lost to a crash is found by the sweep, and the emit that arms after its own
 * durable commit would otherwise wait for a second flush before its 202.
 */
const ARM = statement(
  'outbox-arm',
  {
    arms: jsonParam<readonly Arm[]>('json', (arms) => arms.map((arm) => ({ webhook_id: arm.webhookId, at: arm.at }))),
    wake: param<boolean>('boolean'),
  },
  (p) => sql`
WITH no_flush AS (
  SELECT set_config('synchronous_commit', 'off', true)
), arms AS (
  SELECT a.webhook_id, min(COALESCE(a.at, now())) AS at
    FROM json_to_recordset(${p.arms}) AS a(webhook_id text, at timestamptz)
   GROUP BY a.webhook_id
), armed AS (
  INSERT INTO webhook_queues AS q (webhook_id, due_at, armed_at)
  SELECT arms.webhook_id, arms.at, clock_timestamp()
    FROM arms JOIN webhooks w ON w.id = arms.webhook_id CROSS JOIN no_flush
   ORDER BY arms.webhook_id
  ON CONFLICT (webhook_id) DO UPDATE
     SET due_at = LEAST(COALESCE(q.due_at, 'infinity'), EXCLUDED.due_at), armed_at = clock_timestamp()
  RETURNING 1
)
SELECT ${WAKE_WORKERS} WHERE ${p.wake} AND EXISTS (SELECT 1 FROM armed)`,
);

export async function armWebhooks(db: Queryable, arms: readonly Arm[], wake = true): Promise<void> {
  if (arms.length === 0) return;
  await ARM.run(db, { arms, wake });
}

/**
 * How long a delivery is due before the sweep calls its arm lost: an arm follows its commit by a
 * round trip, so under steady ingestion every sweep met deliveries committed and not yet armed,
 * and warned of lost arms when none was lost.
 */
const LOST_AFTER = sql`interval '5 seconds'`;

/**
 * The safety net for an arm that never ran (its process died between the commit and the arm):
 * webhooks the queue calls idle or not yet due while one of their deliveries has been due for
 * LOST_AFTER are made due. Each check is one probe of the pending index, and only webhooks with a
 * row are checked.
 */
const SWEEP = statement(
  'outbox-sweep',
  {},
  () => sql`
UPDATE webhook_queues q SET due_at = now(), armed_at = clock_timestamp()
  FROM (SELECT s.webhook_id FROM webhook_queues s
         WHERE (s.due_at IS NULL OR s.due_at > now())
           AND EXISTS (SELECT 1 FROM deliveries d
                        WHERE d.webhook_id = s.webhook_id AND d.status IN ('QUEUED', 'RETRYING')
                          AND d.next_attempt_at <= now() - ${LOST_AFTER} AND (d.lease_until IS NULL OR d.lease_until < now()))
         -- A queue row a claim holds is being served now, not lost. Waiting for that claim instead
         -- would judge the row it leaves by this statement's older snapshot, where the deliveries
         -- it just leased still look free: every sweep under load then "found" work it had not.
           FOR UPDATE SKIP LOCKED) lost
 WHERE q.webhook_id = lost.webhook_id`,
);

/** Pending deliveries of webhooks without a queue row (written before this table existed, or whose arm was lost). */
const ADOPT = statement(
  'outbox-adopt',
  {},
  () => sql`
INSERT INTO webhook_queues (webhook_id, due_at)
SELECT w.id, now() FROM webhooks w
 WHERE NOT EXISTS (SELECT 1 FROM webhook_queues q WHERE q.webhook_id = w.id)
   AND EXISTS (SELECT 1 FROM deliveries d WHERE d.webhook_id = w.id AND d.status IN ('QUEUED', 'RETRYING'))
ON CONFLICT (webhook_id) DO NOTHING`,
);

const WAKE = statement('outbox-wake', {}, () => sql`SELECT ${WAKE_WORKERS}`);

/** Returns how many webhooks had work the queue did not know of; when any, the workers are woken. */
export async function sweepWebhookQueues(db: Queryable): Promise<number> {
  const swept = await SWEEP.run(db, {});
  const adopted = await ADOPT.run(db, {});
  const found = (swept.rowCount ?? 0) + (adopted.rowCount ?? 0);
  if (found > 0) await WAKE.run(db, {});
  return found;
}
