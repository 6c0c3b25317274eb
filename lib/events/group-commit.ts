import { database } from '../db/client';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { KeyToStore } from '../idempotency/types';
import { recordIngestion } from '../metrics/record';
import { commitEvents, type EmittedEvent, type EventToCommit, type KeyForEvents } from './commit-events';

/**
 * Group commit, per hub. The per-hub sequence is a counter on the hub row, so every emit of a hub
 * takes that row's lock until it commits; one commit at a time would cap a hub at one fsync per
 * event. Units that arrive while a commit is in flight are therefore grouped into the next one:
 * one statement, one lock, one fsync, consecutive gap-free `sequenceId`s for the whole group.
 */

/** The Idempotency-Key stored with a unit; `batch` when the unit is one `events:batch` request. */
export type UnitKey = { store: KeyToStore; batch: boolean } | undefined;

/** One caller's events (one emit, or one batch): committed together or not at all. */
interface PendingUnit {
  events: EventToCommit[];
  key: UnitKey;
  resolve: (events: EmittedEvent[]) => void;
  reject: (error: unknown) => void;
}

/** Most events one group commit takes (a bigger batch still goes, alone). */
const MAX_GROUP_EVENTS = 500;
const queues = new Map<string, PendingUnit[]>();
const running = new Set<string>();

/**
 * Commits one caller's events (all or nothing) in the next group commit of its hub, and resolves
 * with them once they are durable.
 */
export function commitInGroup(hubId: string, events: EventToCommit[], key: UnitKey): Promise<EmittedEvent[]> {
  return new Promise<EmittedEvent[]>((resolve, reject) => {
    const queue = queues.get(hubId) ?? [];
    queues.set(hubId, queue);
    queue.push({ events, key, resolve, reject });
    if (!running.has(hubId)) void drain(hubId);
  });
}

/** The units that go into the next commit: whole units, up to MAX_GROUP_EVENTS events (at least one unit). */
function nextGroup(queue: PendingUnit[]): PendingUnit[] {
  let count = 0;
  let take = 0;
  while (take < queue.length && (take === 0 || count + (queue[take]?.events.length ?? 0) <= MAX_GROUP_EVENTS)) {
    count += queue[take]?.events.length ?? 0;
    take++;
  }
  return queue.splice(0, take);
}

async function commitUnits(hubId: string, units: readonly PendingUnit[]): Promise<EmittedEvent[][]> {
  const keys: KeyForEvents[] = [];
  let first = 0;
  for (const unit of units) {
    if (unit.key) keys.push({ ...unit.key.store, batch: unit.key.batch, first, count: unit.events.length });
    first += unit.events.length;
  }
  const committed = await commitEvents(
    database().pool,
    hubId,
    units.flatMap((unit) => unit.events),
    keys,
  );
  recordIngestion(hubId, committed);
  let offset = 0;
  return units.map((unit) => {
    offset += unit.events.length;
    return committed.slice(offset - unit.events.length, offset);
  });
}

async function drain(hubId: string): Promise<void> {
  running.add(hubId);
  try {
    for (;;) {
      const queue = queues.get(hubId);
      if (!queue || queue.length === 0) break;
      const group = nextGroup(queue);
      try {
        const results = await commitUnits(hubId, group);
        for (const [index, unit] of group.entries()) unit.resolve(results[index] ?? []);
      } catch (error) {
        // No database (a failover): every caller gets the same 503; one by one would only wait longer.
        if (group.length === 1 || isDatabaseUnavailable(error)) {
          for (const unit of group) unit.reject(error);
          continue;
        }
        // One caller's failure must not fail the others grouped with it: commit each on its own.
        for (const unit of group) {
          await commitUnits(hubId, [unit]).then(
            ([result]) => unit.resolve(result ?? []),
            (soloError: unknown) => unit.reject(soloError),
          );
        }
      }
    }
  } finally {
    running.delete(hubId);
    queues.delete(hubId);
  }
}
