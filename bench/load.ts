import { randomBytes } from 'node:crypto';
import { Pool, request } from 'undici';
import contentItemUpdated from '../lib/events/samples/content-item.updated.json';
import { percentile } from './percentile';

/** The event every producer sends: the content-item.updated sample, stamped with when it was sent. */
export const EVENT_NAME = 'dynamic-content.content-item.updated';

export function eventBody(index: number, emittedAt: number) {
  return { name: EVENT_NAME, payload: { ...contentItemUpdated.payload, id: `item-${index}`, emittedAt } };
}

export interface IngestTarget {
  url: string;
  token: string;
  hubId: string;
}

export interface LoadResult {
  events: number;
  /** When the first request went out and the last 202 came back. */
  startedAt: number;
  acceptedAt: number;
  /** Answers other than 202 (each one an event or a batch that was not taken). */
  refused: number;
  /** Emit → 202 of each request, in ms. */
  acceptLatencies: number[];
  /** Open loop only, second by second of the run: emit → 202 p99, and how late the producer sent (its own lag). */
  bySecond?: { acceptP99: number; lateMaxMs: number }[];
}

function headers(target: IngestTarget, idempotencyKey: string | undefined, traceparent: boolean) {
  return {
    authorization: `Bearer ${target.token}`,
    'content-type': 'application/json',
    ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
    // A traced producer: each request in a new sampled trace of its own.
    ...(traceparent
      ? { traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01` }
      : {}),
  };
}

async function post(
  pool: Pool,
  target: IngestTarget,
  path: string,
  body: string,
  idempotencyKey?: string,
  traceparent = false,
): Promise<boolean> {
  const response = await request(`${target.url}${path}`, {
    dispatcher: pool,
    method: 'POST',
    headers: headers(target, idempotencyKey, traceparent),
    body,
  });
  await response.body.dump();
  return response.statusCode === 202;
}

export interface LoadOptions {
  /** Send every request with its own Idempotency-Key, as a producer that retries safely would. */
  idempotencyKeys?: boolean;
  /** Send every request with a W3C traceparent, as a producer that traces would. */
  traceparents?: boolean;
}

/** Unique per bench process and event index: every request is a first request, none a replay. */
const idempotencyKeyFor = (index: number) => `bench-${process.pid}-${index}`;

/**
 * `producers` concurrent producers, each POSTing its next request as soon as the previous one is
 * answered (closed loop), until `count` events are sent; `batchSize` > 1 uses events:batch.
 */
export async function closedLoop(
  target: IngestTarget,
  count: number,
  producers: number,
  batchSize = 1,
  firstIndex = 0,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const pool = new Pool(target.url, { connections: producers });
  const acceptLatencies: number[] = [];
  let refused = 0;
  let next = 0;
  const startedAt = Date.now();
  await Promise.all(
    Array.from({ length: producers }, async () => {
      while (next < count) {
        const first = next;
        const size = Math.min(batchSize, count - first);
        next += size;
        const sentAt = Date.now();
        const events = Array.from({ length: size }, (_, offset) => eventBody(firstIndex + first + offset, sentAt));
        const key = options.idempotencyKeys ? idempotencyKeyFor(firstIndex + first) : undefined;
        const ok =
          batchSize === 1
            ? await post(
                pool,
                target,
                `/v2/content/hubs/${target.hubId}/events`,
                JSON.stringify(events[0]),
                key,
                options.traceparents,
              )
            : await post(
                pool,
                target,
                `/v2/content/hubs/${target.hubId}/events:batch`,
                JSON.stringify({ events }),
                key,
                options.traceparents,
              );
        if (!ok) refused += size;
        acceptLatencies.push(Date.now() - sentAt);
      }
    }),
  );
  const acceptedAt = Date.now();
  await pool.close();
  return { events: count, startedAt, acceptedAt, refused, acceptLatencies };
}

/**
 * Open loop: one event every 1/`rate` s for `seconds`, each sent when it is due whether or not
 * earlier ones were answered (so a slow server cannot slow the load down and hide its own
 * latency). `emittedAt` is the moment the event was due.
 */
export async function openLoop(
  target: IngestTarget,
  rate: number,
  seconds: number,
  firstIndex = 0,
): Promise<LoadResult> {
  const pool = new Pool(target.url, { connections: 128 });
  const total = Math.round(rate * seconds);
  const acceptLatencies: number[] = [];
  const bySecond = Array.from({ length: Math.ceil(seconds) }, () => ({ accept: [] as number[], late: 0 }));
  const inflight: Promise<void>[] = [];
  let refused = 0;
  const startedAt = Date.now();
  for (let index = 0; index < total; index++) {
    const due = startedAt + (index * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const body = JSON.stringify(eventBody(firstIndex + index, due));
    const second = bySecond[Math.min(bySecond.length - 1, Math.floor(index / rate))];
    if (second) second.late = Math.max(second.late, Date.now() - due);
    inflight.push(
      post(pool, target, `/v2/content/hubs/${target.hubId}/events`, body, undefined).then(
        (ok) => {
          if (!ok) refused++;
          acceptLatencies.push(Date.now() - due);
          second?.accept.push(Date.now() - due);
        },
        () => {
          refused++;
        },
      ),
    );
  }
  await Promise.all(inflight);
  const acceptedAt = Date.now();
  await pool.close();
  const perSecond = bySecond.map(({ accept, late }) => ({
    acceptP99: percentile(
      accept.sort((a, b) => a - b),
      0.99,
    ),
    lateMaxMs: late,
  }));
  return { events: total, startedAt, acceptedAt, refused, acceptLatencies, bySecond: perSecond };
}
