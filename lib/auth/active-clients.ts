import type pg from 'pg';
import { type Database, database } from '../db/client';
import { NotificationListener } from '../db/notification-listener';
import { logger } from '../logger';

/** A trigger on api_clients NOTIFYs here, with the client's id, when its standing changes. */
export const API_CLIENTS_CHANNEL = 'herald_api_clients';

/** A safety net only: a revoke reaches every server through the NOTIFY within milliseconds. */
const ENTRY_TTL_MS = 5 * 60_000;
/** `last_used_at` is a hint for people, written at most once a minute per client. */
const LAST_USED_RESOLUTION_MS = 60_000;

interface Entry {
  active: boolean;
  expiresAt: number;
}

/**
 * Whether an API client may call the API, asked on every authenticated request. The answer is
 * cached per client, and the cache is trusted only while this process LISTENs for changes: a
 * revoke (CLI, admin UI, plain SQL: the trigger sees them all) empties the client's entry at
 * commit. Without LISTEN (not yet connected, or the connection dropped) every request asks the
 * database, and a reconnect starts from an empty cache, since notifications may have been missed.
 */
export class ActiveClientCache {
  private readonly entries = new Map<string, Entry>();
  private readonly lastUsedWrites = new Map<string, number>();
  private readonly listener: NotificationListener;
  /** Bumped by every notification: a lookup that raced one must not store what it read. */
  private epoch = 0;

  constructor(
    private readonly pool: pg.Pool,
    databaseUrl: string,
    private readonly ttlMs = ENTRY_TTL_MS,
  ) {
    this.listener = new NotificationListener(databaseUrl, [API_CLIENTS_CHANNEL], {
      onNotification: (_channel, clientId) => this.forget(clientId),
      onListening: () => this.forget(null),
      onLost: (reason) => {
        this.forget(null);
        logger('api').warn(`LISTEN ${API_CLIENTS_CHANNEL} lost (${reason}); checking clients in the database`);
      },
    });
  }

  /** Starts listening; until it is, every question goes to the database. */
  start(): void {
    void this.listener.start();
  }

  /** Whether the client exists and is not revoked. */
  async isActive(clientId: string, now = Date.now()): Promise<boolean> {
    const cached = this.listener.listening ? this.entries.get(clientId) : undefined;
    if (cached && cached.expiresAt > now) {
      if (cached.active) this.touch(clientId, now);
      return cached.active;
    }
    const epoch = this.epoch;
    const { rows } = await this.pool.query<{ active: boolean }>({
      name: 'herald-api-client-active',
      text: 'SELECT revoked_at IS NULL AS active FROM api_clients WHERE id = $1',
      values: [clientId],
    });
    const active = rows[0]?.active === true;
    if (this.listener.listening && epoch === this.epoch) {
      this.entries.set(clientId, { active, expiresAt: now + this.ttlMs });
    }
    if (active) this.touch(clientId, now);
    return active;
  }

  /** Whether revokes reach this cache right now (tests wait for it). */
  get listening(): boolean {
    return this.listener.listening;
  }

  async close(): Promise<void> {
    await this.listener.close();
  }

  private forget(clientId: string | null): void {
    this.epoch++;
    if (clientId === null) this.entries.clear();
    else this.entries.delete(clientId);
  }

  /** Records use off the request's path; a lost write only makes the hint a minute older. */
  private touch(clientId: string, now: number): void {
    if (now - (this.lastUsedWrites.get(clientId) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    this.lastUsedWrites.set(clientId, now);
    this.pool
      .query({
        name: 'herald-api-client-used',
        text: 'UPDATE api_clients SET last_used_at = now() WHERE id = $1',
        values: [clientId],
      })
      .catch((error: Error) => logger('api').warn(`recording API client use failed: ${error.message}`));
  }
}

const caches = new WeakMap<Database, ActiveClientCache>();

/** The process's cache, for the process's database (closed with it). */
export function activeClients(): ActiveClientCache {
  const db = database();
  let cache = caches.get(db);
  if (!cache) {
    const created = new ActiveClientCache(db.pool, db.url);
    db.onClose(() => created.close());
    created.start();
    caches.set(db, created);
    cache = created;
  }
  return cache;
}
