import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { database } from '../../lib/db/client';
import type { DeliveryWorker } from '../../lib/delivery/worker';
import { emitEvent } from '../../lib/events/emit-event';
import { JobRunner } from '../../lib/jobs/job-runner';
import { upkeepJobs } from '../../lib/upkeep/upkeep-jobs';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { defaultHubId, startWorker, waitForDelivery } from '../support/herald';
import { Receiver } from '../support/receiver';

let hubId: string;
let receiver: Receiver;

beforeAll(async () => {
  hubId = await defaultHubId();
  receiver = await new Receiver().start();
});

afterAll(async () => {
  await receiver.close();
});

describe('the sweep-webhook-queues job', () => {
  it('finds a delivery whose queue mark was lost between its commit and its arm, and wakes the workers', async () => {
    const webhook = await createWebhook(hubId, {
      label: 'lost arm',
      events: ['dynamic-content.content-item.updated'],
      handlers: [`${receiver.url}/lost-arm`],
    });
    const emitted = await emitEvent(hubId, { name: 'dynamic-content.content-item.updated', payload: { id: 'lost' } });
    const delivery = emitted.deliveries.find((candidate) => candidate.webhookId === webhook.id);
    if (!delivery) throw new Error('no delivery for the webhook');
    // As if the emitting process died after its commit, before its arm, some seconds ago (the sweep
    // leaves alone what an arm may still be on its way for): the queue calls the webhook idle.
    await database().pool.query('UPDATE webhook_queues SET due_at = NULL WHERE webhook_id = $1', [webhook.id]);
    await database().pool.query("UPDATE deliveries SET next_attempt_at = now() - interval '10 seconds' WHERE id = $1", [
      delivery.id,
    ]);

    let worker: DeliveryWorker | undefined;
    let runner: JobRunner | undefined;
    const warnings: string[] = [];
    try {
      worker = await startWorker();
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(receiver.requests.filter((request) => request.path === '/lost-arm')).toHaveLength(0);

      const pool = database().pool;
      const jobs = upkeepJobs({
        pool,
        retentionMs: 86_400_000,
        auditRetentionMs: 86_400_000,
        log: (level, message) => level === 'warn' && warnings.push(message),
      }).filter((job) => job.kind === 'sweep-webhook-queues');
      expect(jobs).toHaveLength(1);
      runner = new JobRunner({ pool, jobs, concurrency: 1, pollIntervalMs: 20, log: () => undefined });
      runner.start();

      const delivered = await waitForDelivery(delivery.id, ['DELIVERED']);
      expect(delivered.status).toBe('DELIVERED');
      expect(warnings.some((message) => message.includes('did not know of'))).toBe(true);
    } finally {
      await runner?.stop();
      await worker?.stop();
    }
  });
});
