import type pg from 'pg';
import { recordAudit } from '../audit/record-audit';
import { SYSTEM_ACTOR } from '../audit/types';
import { recordingDisableNotice } from '../notifications/enqueue-notifications';

const GONE_REASON =
  'The endpoint answered 410 Gone, so Herald turned this webhook off. Turn it back on once the endpoint exists again.';

export interface HealthPolicy {
  /** Turn a webhook off after its deliveries have only failed for this long. */
  disableAfterMs: number;
}

/** What one attempt says about its endpoint's health. */
export interface HealthSignal {
  webhookId: string;
  outcome: 'DELIVERED' | 'RETRYING' | 'FAILED';
  /** False when nothing went out (render failed, webhook off): the endpoint's health is unknown. */
  sent: boolean;
  /** The endpoint answered 410 Gone. */
  gone: boolean;
}

/**
 * A success clears a webhook's failing streak; a failure starts one. A webhook whose deliveries
 * have only failed for the configured period (5 days by default), or whose endpoint answered 410,
 * is turned off with the reason shown.
 */
export async function updateWebhookHealth(
  pool: pg.Pool,
  results: readonly HealthSignal[],
  health: HealthPolicy,
): Promise<void> {
  const succeeded = [...new Set(results.filter((r) => r.outcome === 'DELIVERED').map((r) => r.webhookId))];
  const failed = [...new Set(results.filter((r) => r.sent && r.outcome !== 'DELIVERED').map((r) => r.webhookId))];
  const gone = [...new Set(results.filter((r) => r.gone).map((r) => r.webhookId))];
  if (succeeded.length > 0) {
    await pool.query('UPDATE webhooks SET failing_since = NULL WHERE id = ANY($1) AND failing_since IS NOT NULL', [
      succeeded,
    ]);
  }
  if (failed.length > 0) {
    await pool.query(
      'UPDATE webhooks SET failing_since = now() WHERE id = ANY($1) AND failing_since IS NULL AND NOT (id = ANY($2))',
      [failed, succeeded],
    );
    await turnOff(
      pool,
      `UPDATE webhooks SET active = false, disabled_at = now(), last_modified_date = now(),
              disabled_reason = 'Every delivery failed for ' || $2 || ', so Herald turned this webhook off. Fix the endpoint, then turn it back on.'
        WHERE id = ANY($1) AND active AND failing_since < now() - $3 * interval '1 millisecond'`,
      [failed, periodText(health.disableAfterMs), health.disableAfterMs],
    );
  }
  if (gone.length > 0) {
    await turnOff(
      pool,
      `UPDATE webhooks SET active = false, disabled_at = now(), last_modified_date = now(), disabled_reason = $2
        WHERE id = ANY($1) AND active`,
      [gone, GONE_REASON],
    );
  }
}

/**
 * Turns webhooks off with, in the same transaction, the notice their owners are mailed and an
 * audit entry naming Herald as the actor.
 */
async function turnOff(pool: pg.Pool, update: string, params: unknown[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ id: string; hub_id: string; label: string; disabled_reason: string }>(
      recordingDisableNotice(update),
      params,
    );
    for (const row of rows) {
      await recordAudit(client, {
        hubId: row.hub_id,
        actor: SYSTEM_ACTOR,
        action: 'webhook.disabled',
        target: { type: 'webhook', id: row.id, label: row.label },
        changes: { active: { from: true, to: false }, disabledReason: { from: null, to: row.disabled_reason } },
      });
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function periodText(ms: number): string {
  const days = ms / 86_400_000;
  if (Number.isInteger(days)) return `${days} day${days === 1 ? '' : 's'}`;
  const hours = ms / 3_600_000;
  if (Number.isInteger(hours)) return `${hours} hour${hours === 1 ? '' : 's'}`;
  return `${Math.round(ms / 1000)} seconds`;
}
