import { sql } from '../db/sql';

/**
 * The queue's two rules for latest-mode deliveries (README "Latest version only, and debounce"),
 * as SQL fragments of the claim and the outcome statements, kept here so those statements
 * change by one line each.
 */

/**
 * Claim: a delivery that superseded one being sent (`waits_for`, set by the emit) is not taken
 * while that send's lease runs: the older version's request ends, or its worker's lease runs out
 * after a crash, before the newer one starts. One primary-key probe, and only for such deliveries.
 * `d` is the candidate delivery.
 */
export const NOT_WAITING = sql`(d.waits_for IS NULL OR NOT EXISTS (
          SELECT 1 FROM deliveries w WHERE w.id = d.waits_for AND w.lease_until >= now()))`;

/**
 * Outcome: a delivery superseded while it was being sent stays SUPERSEDED (no retry, no FAILED),
 * unless this attempt delivered it; `d` is the row before the update, `r` the outcome.
 */
export const OUTCOME_STATUS = sql`CASE WHEN d.status = 'SUPERSEDED' AND r.status <> 'DELIVERED' THEN d.status ELSE r.status END`;
export const OUTCOME_NEXT_ATTEMPT = sql`CASE WHEN d.status = 'SUPERSEDED' AND r.status <> 'DELIVERED' THEN NULL ELSE r.next_attempt_at END`;
