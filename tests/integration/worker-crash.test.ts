import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvent } from '../../lib/events/emit-event';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { defaultHubId, startWorker, waitForDelivery } from '../support/herald';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait';
import { spawnWorkerProcess } from '../support/worker-process';

let receiver: Receiver;
let survivor: DeliveryWorker | undefined;

beforeAll(async () => {
  receiver = await new Receiver().start();
});

afterAll(async () => {
  await survivor?.stop();
  await receiver.close();
});

describe('a worker killed mid-delivery', () => {
  it('loses nothing: its leases expire and another worker completes every delivery', async () => {
    const hubId = await defaultHubId();
    // Ten webhooks, so the doomed worker starts every delivery at once (a webhook it has not seen
    // answer yet gets only a few slots).
    for (let index = 0; index < 10; index++) {
      await createWebhook(hubId, {
        label: `Crash test ${index}`,
        events: ['dynamic-content.content-item.created'],
        handlers: [`${receiver.url}/crash/${index}`],
      });
    }
    let crashed = false;
    // Until the crash, the receiver holds every request open: the worker is mid-send when killed.
    receiver.respondWith(() => (crashed ? { status: 200 } : { hang: true }));

    const { child: doomed, owner: doomedOwner } = await spawnWorkerProcess();
    const events = [
      await emitEvent(hubId, { name: 'dynamic-content.content-item.created', payload: { id: 'item-0' } }),
    ];
    const deliveryIds = events.flatMap((event) => event.deliveries.map((delivery) => delivery.id));
    expect(deliveryIds).toHaveLength(10);
    await receiver.waitForRequests(10);

    // Every delivery is held by the doomed worker's lease when it dies.
    const leases = await prisma().delivery.findMany({
      where: { id: { in: deliveryIds } },
      select: { leaseOwner: true, leaseUntil: true },
    });
    expect(leases.every((lease) => lease.leaseOwner === doomedOwner)).toBe(true);
    const leaseEnd = Math.max(...leases.map((lease) => lease.leaseUntil?.getTime() ?? 0));
    const exited = new Promise((resolve) => doomed.once('exit', resolve));
    doomed.kill('SIGKILL');
    await exited;
    crashed = true;
    expect(await prisma().delivery.count({ where: { id: { in: deliveryIds }, status: 'DELIVERED' } })).toBe(0);

    survivor = await startWorker({ leaseMs: 5000 });
    await waitFor(
      async () =>
        (await prisma().delivery.count({ where: { id: { in: deliveryIds }, status: 'DELIVERED' } })) === 10 ||
        undefined,
      { timeoutMs: 30_000, what: 'every delivery to be delivered by the surviving worker' },
    );
    const resent = receiver.requests.slice(10);
    const redelivered = new Set(resent.map((request) => request.headers['webhook-id']));
    expect([...redelivered].sort()).toEqual([...deliveryIds].sort());
    // The second worker sent them, and only once the first one's leases had run out.
    expect(survivor.stats.delivered).toBe(10);
    expect(Math.min(...resent.map((request) => request.receivedAt))).toBeGreaterThanOrEqual(leaseEnd - 50);
    const attempts = await prisma().deliveryAttempt.findMany({ where: { deliveryId: { in: deliveryIds } } });
    // The killed worker recorded nothing; the survivor's attempt is the second claim of each delivery.
    expect(attempts).toHaveLength(10);
    expect(attempts.every((attempt) => attempt.number === 2 && attempt.succeeded)).toBe(true);
    // Starting a worker process (tsx compiling it) takes most of the time on a busy machine.
  }, 120_000);
});

describe('a worker stopped while the database is gone', () => {
  it('gives up after its grace period instead of hanging; the lease lets another worker finish', async () => {
    const { DeliveryWorker } = await import('../../lib/delivery/worker');
    const pg = (await import('pg')).default;
    const { database } = await import('../../lib/db/client');
    const hubId = await defaultHubId();
    // Only the worker under test may take the delivery until its lease runs out.
    await survivor?.stop();
    survivor = undefined;
    // A pool of its own that we can break, as a database outage would.
    const pool = new pg.Pool({ connectionString: database().url, max: 2 });
    const warnings: string[] = [];
    const worker = new DeliveryWorker({
      databaseUrl: database().url,
      pool,
      prisma: database().prisma,
      schedule: [0],
      timeoutMs: 500,
      leaseMs: 5000,
      privateDestinations: 'loopback',
      disableAfterMs: 86_400_000,
      log: (level, message) => {
        if (level === 'warn') warnings.push(message);
      },
    });
    await worker.start();
    await createWebhook(hubId, {
      label: 'Outage',
      events: ['dynamic-content.edition.published'],
      handlers: [`${receiver.url}/outage`],
    });
    // The endpoint answers only once the database is gone, so the outcome cannot be written.
    let answer: () => void = () => undefined;
    const outage = new Promise<void>((resolve) => {
      answer = resolve;
    });
    receiver.respondWith(async () => {
      await outage;
      return { status: 200 };
    });
    const emitted = await emitEvent(hubId, { name: 'dynamic-content.edition.published', payload: {} });
    const deliveryId = emitted.deliveries[0]?.id ?? '';
    await waitFor(() => receiver.requests.some((request) => request.path === '/outage'), { what: 'the send' });
    await pool.end(); // every write from now on fails
    answer();
    await waitFor(() => worker.stats.delivered === 1, { what: 'the answer to reach the worker' });
    // It returns at all (a hang would time the test out), and it gave up rather than drained.
    await worker.stop(1000);
    expect(warnings).toContain('stopping without writing 1 outcomes; their leases will expire');

    // The outcome was never written: the delivery is still leased to the stopped worker.
    const leased = await prisma().delivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(leased).toMatchObject({ status: 'QUEUED', leaseOwner: worker.owner, attemptCount: 1 });
    const leaseUntil = leased.leaseUntil?.getTime() ?? 0;
    expect(leaseUntil).toBeGreaterThan(Date.now());

    // Another worker takes it once the lease has run out (not before), and resends it.
    receiver.respondWith(() => ({ status: 200 }));
    survivor = await startWorker({ schedule: [0, 100] });
    const done = await waitForDelivery(deliveryId, ['DELIVERED']);
    const sends = receiver.requests.filter((request) => request.path === '/outage');
    expect(sends).toHaveLength(2);
    expect(sends[1]?.receivedAt).toBeGreaterThanOrEqual(leaseUntil - 50);
    expect(sends[1]?.headers['webhook-id']).toBe(sends[0]?.headers['webhook-id']);
    expect(done.leaseOwner).toBeNull();
  });
});
