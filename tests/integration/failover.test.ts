import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetEnvCache } from '../../lib/config/env';
import { closeDatabase, database } from '../../lib/db/client';
import { migrate } from '../../lib/db/migrate';
import { NotificationListener } from '../../lib/db/notification-listener';
import { isDatabaseUnavailable } from '../../lib/db/unavailable';
import { DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvent } from '../../lib/events/emit-event';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { apiToken, defaultHubId, startApiServer } from '../support/herald';
import { Receiver } from '../support/receiver';
import { type ReplicatedPostgres, startReplicatedPostgres } from '../support/replicated-postgres';
import { waitFor } from '../support/wait';

/**
 * A primary and a synchronous standby of its own (the machine's PostgreSQL binaries), Herald on
 * the multi-host URL, the primary killed and the standby promoted: the same pool, worker, LISTEN
 * connections and API server go on against the new primary without being restarted.
 */

const EVENT = 'dynamic-content.content-item.created';
// Far longer than the test: a delivery made after the failover was claimed because of a NOTIFY.
const POLL_INTERVAL_MS = 120_000;

let cluster: ReplicatedPostgres;
let receiver: Receiver;
let worker: DeliveryWorker | undefined;
let api: Awaited<ReturnType<typeof startApiServer>> | undefined;
let listener: NotificationListener | undefined;
const previousUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  cluster = await startReplicatedPostgres();
  // The file's own database stays for the setup to drop; this file's Herald lives on the cluster.
  await closeDatabase();
  const client = new pg.Client({ connectionString: cluster.primary.adminUrl });
  await client.connect();
  await client.query('CREATE DATABASE herald');
  await client.end();
  const url = cluster.multiHostUrl('herald');
  await migrate(url);
  process.env.DATABASE_URL = url;
  resetEnvCache();
  receiver = await new Receiver().start();
});

afterAll(async () => {
  await listener?.close();
  await worker?.stop(1000);
  await api?.close();
  await receiver?.close();
  await closeDatabase();
  await cluster?.destroy();
  process.env.DATABASE_URL = previousUrl;
  resetEnvCache();
});

/** Emits until the database takes it, checking that every refusal meanwhile was "unavailable". */
async function emitThroughFailover(hubId: string, id: string) {
  const refusals: unknown[] = [];
  const event = await waitFor(
    () =>
      emitEvent(hubId, { name: EVENT, payload: { id } }).catch((error: unknown) => {
        refusals.push(error);
        return undefined;
      }),
    { timeoutMs: 20_000, intervalMs: 100, what: `event ${id} to be accepted` },
  );
  expect(refusals.filter((error) => !isDatabaseUnavailable(error))).toEqual([]);
  return event;
}

async function listensOnNewPrimary(): Promise<boolean> {
  const { rows } = await database().pool.query<{ count: number }>(
    "SELECT count(*)::int AS count FROM pg_stat_activity WHERE query ILIKE 'LISTEN %herald_deliveries%'",
  );
  return (rows[0]?.count ?? 0) > 0;
}

describe('a failover from the primary to its synchronous standby', () => {
  it('costs 503s meanwhile, then emits, claims and LISTEN wake-ups work again without a restart', async () => {
    const hubId = await defaultHubId();
    await createWebhook(hubId, { label: 'failover', events: [EVENT], handlers: [`${receiver.url}/hook`] });
    const db = database();
    worker = new DeliveryWorker({
      databaseUrl: db.url,
      pool: db.pool,
      prisma: db.prisma,
      schedule: [0, 100, 200],
      timeoutMs: 2000,
      privateDestinations: 'loopback',
      disableAfterMs: 5 * 86_400_000,
      concurrency: 10,
      pollIntervalMs: POLL_INTERVAL_MS,
      log: () => undefined,
    });
    await worker.start();
    const notifications: string[] = [];
    let listening = 0;
    listener = new NotificationListener(db.url, ['failover_test'], {
      onNotification: (_channel, payload) => notifications.push(payload),
      onListening: () => listening++,
      onLost: () => undefined,
    });
    await listener.start();
    api = await startApiServer();
    const token = await apiToken(api.url, 'failover producer');
    const postEvent = (id: string) =>
      fetch(`${api?.url}/v2/content/hubs/${hubId}/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: EVENT, payload: { id } }),
      });

    expect((await postEvent('before')).status).toBe(202);
    await receiver.waitForRequests(1);

    await cluster.killPrimary();
    // No writable host: the API says so with 503 and Retry-After, never 500 and never 202.
    const refused = await waitFor(
      async () => {
        const response = await postEvent('during');
        expect([202, 503]).toContain(response.status);
        return response.status === 503 ? response : undefined;
      },
      { what: 'a 503 while the primary is down' },
    );
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await fetch(`${api.url}/healthz`)).status).toBe(503);

    await cluster.promoteStandby();
    await waitFor(async () => (await fetch(`${api?.url}/healthz`)).status === 200, { what: '/healthz 200' });

    // An emit on the same pool, now on the promoted standby.
    const event = await emitThroughFailover(hubId, 'after');
    expect(event.deliveries).toHaveLength(1);
    // The worker's LISTEN is back on the new primary; its NOTIFY (not a poll) makes it claim.
    await waitFor(listensOnNewPrimary, { what: 'the worker to LISTEN on the new primary' });
    const second = await emitThroughFailover(hubId, 'after-listen');
    await waitFor(() => receiver.requests.some((request) => request.body.includes('"after-listen"')), {
      what: 'the delivery claimed after the failover',
    });
    // Waited for on its own: it may be claimed with "after-listen" and sent beside it, in any order.
    await waitFor(() => receiver.requests.some((request) => request.body.includes('"after"')), {
      what: 'the delivery of the event emitted through the failover',
    });
    expect(second.deliveries).toHaveLength(1);

    // A listener of its own subscribed again, and a NOTIFY reaches it.
    await waitFor(() => listener?.listening && listening >= 2, { what: 'LISTEN to subscribe again' });
    await database().pool.query("SELECT pg_notify('failover_test', 'woken')");
    await waitFor(() => notifications.includes('woken'), { what: 'the notification after the failover' });

    // The API took events again through the same server.
    expect((await postEvent('api-after')).status).toBe(202);
  });
});
