/** Workers LISTEN here; whoever arms a webhook's queue NOTIFYs (lib/outbox/arm.ts), after committing the work. */
export const DELIVERIES_CHANNEL = 'herald_deliveries';
