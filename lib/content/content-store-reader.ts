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
// primary key (hub_id, id), never a scan. When the rows together weigh more than `maxBytes`, no
// body is sent, only the sizes (see `read`).
const SELECT_ROWS = statement<
  { hubId: Param<string>; ids: Param<readonly string[]>; maxBytes: Param<number> },
  { id: string; label: string | null; schema: string | null; size: number; body: string | null }
>(
  'content-read-rows',
  { hubId: param(), ids: param('varchar[]'), maxBytes: param('bigint') },
  (p) => sql`
SELECT id, label, schema, size, CASE WHEN sum(size) OVER () <= ${p.maxBytes} THEN body END AS body
  FROM (SELECT c.id, c.label, c.schema, t.body, octet_length(t.body) AS size
          FROM content_items c CROSS JOIN LATERAL (SELECT c.body::text AS body) t
         WHERE c.hub_id = ${p.hubId} AND c.id = ANY(${p.ids})) r
`,
);

/** Rows together up to this size come with the first answer; bigger ones after their sizes are charged. */
const EAGER_BYTES = 256 * 1024;

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
  const { signal, onBytes, bytesLeft } = control;
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

  const select = async (ids: readonly string[], maxBytes: number) => {
    if (signal?.aborted) throw stopped();
    const query = SELECT_ROWS.run(client, { hubId, ids, maxBytes });
    inFlight = query;
    const settled = () => {
      if (inFlight === query) inFlight = undefined;
    };
    query.then(settled, settled);
    return (await Promise.race([query, aborted])).rows;
  };

  // A caller that takes only so much (a render's budget) is told the sizes of big rows before
  // their bodies are sent, and its charge (synchronous) stops the load when they would go over:
  // so two loads of one render running at once cannot both receive what only one may keep.
  // Small rows come at once, in one round trip.
  const read: ReadContentRows = async (ids) => {
    let found = await select(
      ids,
      bytesLeft ? Math.min(Math.max(0, bytesLeft()), EAGER_BYTES) : Number.MAX_SAFE_INTEGER,
    );
    for (const row of found) onBytes?.(row.size);
    const held = found.filter((row) => row.body === null);
    if (held.length > 0) {
      const told = new Map(held.map((row) => [row.id, row.size]));
      const sent = await select([...told.keys()], Number.MAX_SAFE_INTEGER);
      // A row saved again meanwhile may have grown: the difference counts too.
      for (const row of sent) onBytes?.(Math.max(0, row.size - (told.get(row.id) ?? 0)));
      found = [...found.filter((row) => row.body !== null), ...sent];
    }
    const rows = new Map<string, StoredContentItem>();
    for (const row of found) {
      if (row.body === null) continue;
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
