import { recordAudit } from '../audit/record-audit';
import { SYSTEM_ACTOR } from '../audit/types';
import { bound, type Param, param, sql, statement } from '../db/sql';
import type { Tx } from '../db/transaction';

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

/** A webhook this batch turned off, as its owners are told. */
export interface DisabledWebhook {
  id: string;
  hubId: string;
  label: string;
  reason: string;
}

/**
 * A success clears a webhook's failing streak; a failure starts one. A webhook whose deliveries
 * have only failed for the configured period (5 days by default), or whose endpoint answered 410,
 * is turned off with the reason shown and an audit entry naming Herald as the actor. Runs in the
 * caller's transaction (the outcome writer's) and answers the webhooks it turned off. Idempotent:
 * a batch applied twice changes nothing more.
 */
export async function applyWebhookHealth(
  tx: Tx,
  results: readonly HealthSignal[],
  health: HealthPolicy,
): Promise<DisabledWebhook[]> {
  const succeeded = [...new Set(results.filter((r) => r.outcome === 'DELIVERED').map((r) => r.webhookId))];
  const failed = [...new Set(results.filter((r) => r.sent && r.outcome !== 'DELIVERED').map((r) => r.webhookId))];
  const gone = [...new Set(results.filter((r) => r.gone).map((r) => r.webhookId))];
  const disabled: DisabledWebhook[] = [];
  if (succeeded.length > 0) await CLEAR_FAILING.run(tx, { ids: succeeded });
  if (failed.length > 0) {
    await START_FAILING.run(tx, { ids: failed, succeeded });
    const { rows } = await TURN_OFF_FAILING.run(tx, {
      ids: failed,
      period: periodText(health.disableAfterMs),
      afterMs: health.disableAfterMs,
    });
    disabled.push(...(await audited(tx, rows)));
  }
  if (gone.length > 0) {
    const { rows } = await TURN_OFF_GONE.run(tx, { ids: gone });
    disabled.push(...(await audited(tx, rows)));
  }
  return disabled;
}

/** Whether a batch says anything about its webhooks' health (else applying it costs nothing). */
export function hasHealthSignal(results: readonly HealthSignal[]): boolean {
  return results.some((r) => r.outcome === 'DELIVERED' || r.sent || r.gone);
}

const ids = () => param<readonly string[]>('text[]');

const CLEAR_FAILING = statement(
  'health-clear-failing',
  { ids: ids() },
  (p) => sql`UPDATE webhooks SET failing_since = NULL WHERE id = ANY(${p.ids}) AND failing_since IS NOT NULL`,
);

const START_FAILING = statement(
  'health-start-failing',
  { ids: ids(), succeeded: ids() },
  (p) => sql`UPDATE webhooks SET failing_since = now()
 WHERE id = ANY(${p.ids}) AND failing_since IS NULL AND NOT (id = ANY(${p.succeeded}))`,
);

interface TurnedOff {
  id: string;
  hub_id: string;
  label: string;
  disabled_reason: string;
}

const TURNED_OFF = sql`RETURNING id, hub_id, label, disabled_reason`;

/** Only webhooks still on (`AND active`) are turned off, and so audited. */
const TURN_OFF_FAILING = statement<
  { ids: Param<readonly string[]>; period: Param<string>; afterMs: Param<number> },
  TurnedOff
>(
  'health-turn-off-failing',
  { ids: ids(), period: param(), afterMs: param() },
  (p) => sql`
UPDATE webhooks SET active = false, disabled_at = now(), last_modified_date = now(),
       disabled_reason = 'Every delivery failed for ' || ${p.period} || ', so Herald turned this webhook off. Fix the endpoint, then turn it back on.'
 WHERE id = ANY(${p.ids}) AND active AND failing_since < now() - ${p.afterMs} * interval '1 millisecond'
${TURNED_OFF}`,
);

const TURN_OFF_GONE = statement<{ ids: Param<readonly string[]> }, TurnedOff>(
  'health-turn-off-gone',
  { ids: ids() },
  (p) => sql`
UPDATE webhooks SET active = false, disabled_at = now(), last_modified_date = now(), disabled_reason = ${bound(GONE_REASON)}
 WHERE id = ANY(${p.ids}) AND active
${TURNED_OFF}`,
);

/** Audits each webhook turned off, and answers them. */
async function audited(tx: Tx, rows: readonly TurnedOff[]): Promise<DisabledWebhook[]> {
  for (const row of rows) {
    await recordAudit(tx, {
      hubId: row.hub_id,
      actor: SYSTEM_ACTOR,
      action: 'webhook.disabled',
      target: { type: 'webhook', id: row.id, label: row.label },
      changes: { active: { from: true, to: false }, disabledReason: { from: null, to: row.disabled_reason } },
    });
  }
  return rows.map((row) => ({ id: row.id, hubId: row.hub_id, label: row.label, reason: row.disabled_reason }));
}

function periodText(ms: number): string {
  const days = ms / 86_400_000;
  if (Number.isInteger(days)) return `${days} day${days === 1 ? '' : 's'}`;
  const hours = ms / 3_600_000;
  if (Number.isInteger(hours)) return `${hours} hour${hours === 1 ? '' : 's'}`;
  return `${Math.round(ms / 1000)} seconds`;
}
