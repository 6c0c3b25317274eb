/**
 * Idempotent ingestion: a producer names a request with an `Idempotency-Key`; a retry with the
 * same key and the same body gets the first answer again and creates nothing. A key belongs to
 * one API client on one hub: the same key from another client, or for another hub, is another key.
 */
export interface IdempotencyScope {
  hubId: string;
  clientId: string;
  key: string;
}

/** How long a key is kept (at least; the worker prunes older ones hourly). */
export const IDEMPOTENCY_KEY_RETENTION_MS = 24 * 60 * 60 * 1000;

/** A key to store with the events of one request, written by the emit statement itself. */
export interface KeyToStore {
  clientId: string;
  key: string;
  /** SHA-256 of the request body's exact bytes. */
  bodyHash: Buffer;
}

/** What an answer to one event says (lib/api/ingest.ts sends it; the stored answer repeats it). */
export interface EventAnswer {
  id: string;
  sequenceId: number;
  deliveries: { id: string; webhookId: string; status: 'QUEUED' | 'FILTERED' | 'SUPERSEDED' }[];
}
