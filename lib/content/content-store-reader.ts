import type pg from 'pg';
import { z } from 'zod';
import type { StoredContentItem } from './delivery-shape';
import type { LoadControl } from './load-control';

/** Reads content rows of one hub by id; missing ids are absent from the map. */
export type ReadContentRows = (ids: string[]) => Promise<Map<string, StoredContentItem>>;

export class ContentReadAborted extends Error {
  override name = 'ContentReadAborted';
}

// The body as text: its size is known (and charged) before anything is parsed. A lookup by the
// primary key (hub_id, id), never a scan.
const SELECT_ROWS = `SELECT id, label, schema, body::text AS body FROM content_items WHERE hub_id = $1 AND id = ANY($2::varchar[])`;

const ZRow = z.object({
  id: z.string(),
  label: z.string().nullable(),
  schema: z.string().nullable(),
  body: z.string(),
});

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
    if (inFlight && pid !== undefined) cancelled = pool.query('SELECT pg_cancel_backend($1)', [pid]);
    rejectAborted?.(stopped());
  };

  const read: ReadContentRows = async (ids) => {
    if (signal?.aborted) throw stopped();
    const query = client.query(SELECT_ROWS, [hubId, ids]);
    inFlight = query;
    const settled = () => {
      if (inFlight === query) inFlight = undefined;
    };
    query.then(settled, settled);
    const result = await Promise.race([query, aborted]);
    const rows = new Map<string, StoredContentItem>();
    for (const raw of result.rows) {
      const row = ZRow.parse(raw);
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
