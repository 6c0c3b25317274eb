import type pg from 'pg';

/** Workers LISTEN here; whoever makes a delivery due NOTIFYs, inside its transaction. */
export const DELIVERIES_CHANNEL = 'herald_deliveries';

/** Delivered to listeners at commit, so a woken worker always finds the rows. */
export const NOTIFY_WORKERS_SQL = `NOTIFY ${DELIVERIES_CHANNEL}`;

export async function notifyWorkers(client: Pick<pg.ClientBase, 'query'>): Promise<void> {
  await client.query(NOTIFY_WORKERS_SQL);
}
