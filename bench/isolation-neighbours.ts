import pg from 'pg';
import { uuid7 } from '../lib/crypto/uuid7';
import { armWebhooks } from '../lib/outbox/arm';
import { startBadEndpoint } from './bad-endpoints';
import { type ForkedReceiver, type ScenarioHerald, until } from './isolation-harness';
import { EVENT_NAME, eventBody } from './load';

/** Events each bad endpoint of the hanging scenarios is sent. */
export const BAD_EVENTS = 300;
/** Due retries the flood scenario seeds. */
export const FLOOD = 100_000;

/** The bad neighbours of a scenario, set up and under way; returns what to say about them afterwards. */
export type BadNeighbours = (herald: ScenarioHerald, badHubId: string) => Promise<BadRun>;
export interface BadRun {
  /** Called as the healthy traffic starts and when its window ends. */
  mark?(phase: 'start' | 'end'): Promise<void>;
  describe(): Promise<string[]>;
  close(): Promise<void>;
}

/** Bad hub: `hanging` endpoints that never answer and one answering 500, 300 events each via events:batch. */
export function hangingNeighbours(hanging: number): BadNeighbours {
  return async (scenario, badHubId) => {
    const stuck = await startBadEndpoint('hang');
    const failing = await startBadEndpoint(500);
    for (let index = 0; index < hanging; index++) {
      await scenario.createWebhook(badHubId, `Hanging ${index}`, `${stuck.url}/hang/${index}`);
    }
    await scenario.createWebhook(badHubId, 'Always 500', `${failing.url}/500`);
    for (let sent = 0; sent < BAD_EVENTS; sent += 100) {
      const events = Array.from({ length: 100 }, (_, offset) => eventBody(sent + offset, Date.now()));
      await scenario.api('POST', `/hubs/${badHubId}/events:batch`, { events });
    }
    // The bad ones have taken what they can before the healthy traffic starts.
    await until(() => stuck.holding() >= hanging, 30_000, 'every hanging endpoint to hold a request');
    let atStart = 0;
    return {
      async mark(phase) {
        if (phase === 'start') atStart = stuck.holding();
      },
      async describe() {
        return [
          `hanging endpoints: holding ${atStart} requests as the healthy traffic started, ${stuck.received()} received in all; ` +
            `the 500 endpoint answered ${failing.received()}`,
        ];
      },
      close: async () => {
        await stuck.close();
        await failing.close();
      },
    };
  };
}

/** Bad hub: one webhook with 100,000 due retries written straight into the log (as a long outage leaves them). */
export function floodNeighbour(floodReceiver: ForkedReceiver): BadNeighbours {
  return async (scenario, badHubId) => {
    await floodReceiver.reset();
    const webhookId = await scenario.createWebhook(badHubId, 'Flood', `${floodReceiver.url}/flood`);
    const pool = new pg.Pool({ connectionString: scenario.databaseUrl, max: 1 });
    try {
      // uuid7s of this moment with a counter in their last 48 bits: all in today's partition.
      const eventBase = uuid7();
      // The same time (a delivery shares its event's day, which the database checks), another random part.
      const deliveryBase = `${eventBase.slice(0, 19)}${eventBase[19] === 'a' ? 'b' : 'a'}${eventBase.slice(20)}`;
      const seededAt = Date.now();
      await pool.query(
        `INSERT INTO events (id, hub_id, sequence_id, name, request_id, payload)
         SELECT overlay($1::text PLACING lpad(to_hex(i), 12, '0') FROM 25)::uuid, $2, i, $3, 'flood-' || i, '{"id":"flood"}'::json
           FROM generate_series(1, $4::int) i`,
        [eventBase, badHubId, EVENT_NAME, FLOOD],
      );
      await pool.query(
        `INSERT INTO deliveries (id, hub_id, event_id, webhook_id, status, filter_report, next_attempt_at, attempt_count)
         SELECT overlay($1::text PLACING lpad(to_hex(i), 12, '0') FROM 25)::uuid, $2,
                overlay($3::text PLACING lpad(to_hex(i), 12, '0') FROM 25)::uuid, $4, 'RETRYING', '[]',
                now() - interval '1 minute', 1
           FROM generate_series(1, $5::int) i`,
        [deliveryBase, badHubId, eventBase, webhookId, FLOOD],
      );
      await pool.query('UPDATE hubs SET last_sequence_id = $2 WHERE id = $1', [badHubId, FLOOD]);
      await armWebhooks(pool, [{ webhookId, at: null }]);
      console.log(
        `  seeded ${FLOOD.toLocaleString('en-US')} due retries in ${((Date.now() - seededAt) / 1000).toFixed(1)} s`,
      );
    } finally {
      await pool.end();
    }
    await until(async () => (await floodReceiver.count()).received >= 100, 60_000, 'the flood to be under way');
    const marks: Record<'start' | 'end', { at: number; received: number }> = {
      start: { at: 0, received: 0 },
      end: { at: 0, received: 0 },
    };
    return {
      async mark(phase) {
        marks[phase] = { at: Date.now(), received: (await floodReceiver.count()).received };
      },
      async describe() {
        const perSecond = (marks.end.received - marks.start.received) / ((marks.end.at - marks.start.at) / 1000);
        const total = (await floodReceiver.count()).received;
        return [
          `flood: ${Math.round(perSecond).toLocaleString('en-US')} deliveries/s during the healthy run ` +
            `(${total.toLocaleString('en-US')} of ${FLOOD.toLocaleString('en-US')} delivered by the end of the scenario)`,
        ];
      },
      close: async () => undefined,
    };
  };
}
