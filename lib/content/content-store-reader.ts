import type pg from 'pg';
import { z } from 'zod';
import { type Param, param, sql, statement } from '../db/sql';
import type { StoredContentItem } from './delivery-shape';
import type { LoadControl } from './load-control';

/** Reads content rows of one hub by id; missing ids are absent from the map. */
export type ReadContentRows = (ids: string[]) => Promise<Map<string, StoredContentItem>>;

export class ContentReadAborted extends Error {
  override name = 'ContentReadAborted';
}

// The body as text: its size is known (and charged) before anything is parsed. A lookup by the
// primary key (hub_id, id), never a scan.
const SELECT_ROWS = statement<
  { hubId: Param<string>; ids: Param<readonly string[]> },
  { id: string; label: string | null; schema: string | null; body: string }
>(
  'content-read-rows',
  { hubId: param(), ids: param('varchar[]') },
  (p) =>
    sql`SELECT id, label, schema, body::text AS body FROM content_items WHERE hub_id = ${p.hubId} AND id = ANY(${p.ids})`,
);

const CANCEL = statement<{ pid: Param<number> }, { pg_cancel_backend: boolean }>(
  'content-cancel-read',
  { pid: param() },
  (p) => sql`SELECT pg_cancel_backend(${p.pid})`,
);

/**
 * Runs `use` with a reader of the hub's content rows over ONE connection of `pool`, held for the
 * whole load. When `control.signal` aborts, the query running on that connection is cancelled in
 * the server (pg_cancel_backend), not left to finish in the background, and the load rejects at
 * once; the connection goes back to the pool only after the cancel has been answered, so the
 * cancel can never hit a query that someone else later runs on it.
 */
export async function withContentReader<T>(
  pool: pg.Pool,
  hubId: string,
  control: LoadControl,
  use: (read: ReadContentRows) => Promise<T>,
): Promise<T> {
  const { signal, onBytes } = control;
  const stopped = () =>
    signal?.reason instanceof Error ? signal.reason : new ContentReadAborted('the content load was stopped');
  if (signal?.aborted) throw stopped();
  const client = await pool.connect();
  /** The query on the connection right now, if any. */
  let inFlight: Promise<unknown> | undefined;
  let cancelled: Promise<unknown> | undefined;
  let rejectAborted: ((error: Error) => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    rejectAborted = reject;
  });
  aborted.catch(() => undefined);
  const pid = backendPid(client);
  const onAbort = () => {
    if (inFlight && pid !== undefined) cancelled = CANCEL.run(pool, { pid });
    rejectAborted?.(stopped());
  };

  const read: ReadContentRows = async (ids) => {
    if (signal?.aborted) throw stopped();
    const query = SELECT_ROWS.run(client, { hubId, ids });
    inFlight = query;
    const settled = () => {
      if (inFlight === query) inFlight = undefined;
    };
    query.then(settled, settled);
    const result = await Promise.race([query, aborted]);
    const rows = new Map<string, StoredContentItem>();
    for (const row of result.rows) {
      onBytes?.(Buffer.byteLength(row.body));
      rows.set(row.id, { id: row.id, label: row.label, schema: row.schema, body: JSON.parse(row.body) as unknown });
    }
    return rows;
  };

  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([use(read), aborted]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // A query a stop interrupted must settle (with the cancel's error) before the connection is reused.
    const interrupted = inFlight;
    if (interrupted && cancelled === undefined) {
      // No cancel could be sent (pid unknown): closing the connection is the only way to drop it.
      client.release(true);
    } else {
      await cancelled?.catch(() => undefined);
      await interrupted?.catch(() => undefined);
      client.release();
    }
  }
}

/** node-postgres learns the backend's pid at connect time; it is not in its type definitions. */
function backendPid(client: pg.PoolClient): number | undefined {
  const parsed = z.number().int().positive().safeParse(Reflect.get(client, 'processID'));
  return parsed.success ? parsed.data : undefined;
}
