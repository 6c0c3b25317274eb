import type pg from 'pg';
import { DAY_MS, listLogPartitions } from './partitions';

/**
 * When the server runs without autovacuum (it happens: some managed and test setups turn it off),
 * nothing would ever clear the dead rows the queue leaves, and every claim would wade through
 * them. The worker then vacuums the queue itself: only the deliveries partitions of the last day
 * (today's and yesterday's), where claims and outcomes churn; older days hardly change, and
 * retention drops them whole. With autovacuum on, this does nothing.
 */
export async function vacuumOutboxIfNeeded(
  pool: pg.Pool,
  now: Date = new Date(),
  autovacuumOn: (pool: pg.Pool) => Promise<boolean> = serverAutovacuumOn,
): Promise<boolean> {
  if (await autovacuumOn(pool)) return false;
  const since = now.getTime() - DAY_MS;
  const hot = (await listLogPartitions(pool)).filter(
    (partition) =>
      partition.parent === 'deliveries' &&
      partition.upperMs > since &&
      (partition.lowerMs === null || partition.lowerMs <= now.getTime()),
  );
  for (const partition of hot) await pool.query(`VACUUM (ANALYZE) "${partition.name.replaceAll('"', '""')}"`);
  return true;
}

/** The server's `autovacuum` setting (a test passes its own, so both branches run on any server). */
export async function serverAutovacuumOn(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ autovacuum: string }>("SELECT current_setting('autovacuum') AS autovacuum");
  return rows[0]?.autovacuum !== 'off';
}
