import pg from 'pg';
import { sql, statement } from '../db/sql';
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
  // VACUUM names its table, which no parameter can stand for: text, the name quoted.
  for (const partition of hot) await pool.query(`VACUUM (ANALYZE) ${pg.escapeIdentifier(partition.name)}`);
  return true;
}

const AUTOVACUUM = statement<Record<string, never>, { autovacuum: string }>(
  'activity-autovacuum-setting',
  {},
  () => sql`SELECT current_setting('autovacuum') AS autovacuum`,
);

/** The server's `autovacuum` setting (a test passes its own, so both branches run on any server). */
export async function serverAutovacuumOn(pool: pg.Pool): Promise<boolean> {
  const { rows } = await AUTOVACUUM.run(pool, {});
  return rows[0]?.autovacuum !== 'off';
}
