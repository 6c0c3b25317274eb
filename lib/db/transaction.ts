import pg from 'pg';

/** A connection inside a transaction: what the functions a transaction's owner calls take. */
export type Tx = pg.ClientBase;

/**
 * Runs `work` in one transaction and commits it; rolls back and rethrows whatever `work` threw.
 * The caller owns the transaction: the functions `work` calls take `tx` and never open their own.
 * Given a pool, it takes a connection for the transaction and gives it back, discarded when the
 * failure was not the database refusing a statement (a lost connection is not worth reusing).
 * Given a connection, it uses it as is (migrations, advisory-locked work).
 */
export async function inTransaction<T>(
  db: pg.Pool | pg.PoolClient | pg.Client,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const client = db instanceof pg.Pool ? await db.connect() : db;
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    broken = !(error instanceof pg.DatabaseError);
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    if (db instanceof pg.Pool) (client as pg.PoolClient).release(broken);
  }
}

/** What an advisory step of a transaction came to. */
export type AdvisoryResult<T> = { ok: true; value: T } | { ok: false; error: pg.DatabaseError };

/**
 * Runs `work` behind a savepoint, for a step whose failure must not undo the rest of the
 * transaction: if the database refuses one of its statements, only that step is rolled back and
 * the refusal returned. Anything else (a lost connection) still fails the whole transaction.
 */
export async function advisory<T>(tx: Tx, name: string, work: () => Promise<T>): Promise<AdvisoryResult<T>> {
  await tx.query(`SAVEPOINT ${name}`);
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (!(error instanceof pg.DatabaseError)) throw error;
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    return { ok: false, error };
  }
}
