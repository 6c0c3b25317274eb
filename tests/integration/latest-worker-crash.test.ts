import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { createHub } from '../../lib/hubs/hubs';
import { startWorker } from '../support/herald';
import { HeraldApi } from '../support/herald-api';
import { type ReceivedRequest, Receiver } from '../support/receiver';
import { waitFor } from '../support/wait';
import { spawnWorkerProcess } from '../support/worker-process';

/**
 * Latest mode across a worker crash: the worker sending version 1 is killed mid-send while version 2
 * arrives. Version 1 is never sent again, version 2 only once version 1's lease has run out, once.
 */
const EVENT = 'dynamic-content.content-item.updated';
let api: HeraldApi;
let receiver: Receiver;
let survivor: DeliveryWorker | undefined;

const versionOf = (request: ReceivedRequest) =>
  (JSON.parse(request.body) as { payload: { version: number } }).payload.version;

beforeAll(async () => {
  api = await HeraldApi.start('latest crash test');
  receiver = await new Receiver().start();
});

afterAll(async () => {
  await survivor?.stop();
  await receiver.close();
  await api.close();
});

describe('latest mode, a worker killed mid-send', () => {
  it('ends on the newest version: the older one is not resent, the newer one waits for the lease and is sent once', async () => {
    const hub = await createHub('latest-crash', 'Latest crash');
    const webhookId = await api.createWebhook(hub.id, {
      label: 'Indexer',
      events: [EVENT],
      handlers: [`${receiver.url}/crash`],
      delivery: { mode: 'latest' },
    });
    let crashed = false;
    // Until the crash, the receiver holds every request open: the worker is mid-send when killed.
    receiver.respondWith(() => (crashed ? { status: 200 } : { hang: true }));
    const { child: doomed } = await spawnWorkerProcess();

    await api.emit(hub.id, EVENT, { id: 'article', version: 1 });
    await receiver.waitForRequests(1);
    await api.emit(hub.id, EVENT, { id: 'article', version: 2 });
    const [first] = await prisma().delivery.findMany({
      where: { webhookId },
      orderBy: { event: { sequenceId: 'asc' } },
    });
    const leaseEnd = first?.leaseUntil?.getTime() ?? 0;
    expect(first?.status).toBe('SUPERSEDED');
    expect(leaseEnd).toBeGreaterThan(0);

    const exited = new Promise((resolve) => doomed.once('exit', resolve));
    doomed.kill('SIGKILL');
    await exited;
    crashed = true;
    survivor = await startWorker({ leaseMs: 5000 });

    await waitFor(
      async () => (await prisma().delivery.count({ where: { webhookId, status: 'DELIVERED' } })) === 1 || undefined,
      { timeoutMs: 30_000, what: 'version 2 delivered by the surviving worker' },
    );
    const resent = receiver.requests.slice(1);
    expect(resent.map(versionOf)).toEqual([2]);
    expect(resent[0]?.receivedAt).toBeGreaterThanOrEqual(leaseEnd - 50);
    const rows = await prisma().delivery.findMany({ where: { webhookId }, orderBy: { event: { sequenceId: 'asc' } } });
    expect(rows.map((row) => row.status)).toEqual(['SUPERSEDED', 'DELIVERED']);
    // Nothing is left to send: the superseded version's expired lease makes it due for no one.
    await survivor.stop();
    survivor = undefined;
    expect(receiver.requests.map(versionOf)).toEqual([1, 2]);
  }, 120_000);
});
