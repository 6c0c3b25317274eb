import type pg from 'pg';

/**
 * When the server runs without autovacuum (it happens: some managed and test setups turn it off),
 * nothing would ever clear the dead rows the queue leaves, and every claim would wade through
 * them. The worker then vacuums the queue itself. With autovacuum on, this does nothing.
 */
export async function vacuumOutboxIfNeeded(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ autovacuum: string }>("SELECT current_setting('autovacuum') AS autovacuum");
  if (rows[0]?.autovacuum !== 'off') return false;
  await pool.query('VACUUM (ANALYZE) deliveries');
  return true;
}
