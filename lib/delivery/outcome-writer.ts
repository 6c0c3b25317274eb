import type pg from 'pg';
import { advisory, inTransaction, type Tx } from '../db/transaction';
import { errorMessage } from '../errors';
import { hasNoticeCauses, recordFailureNotices } from '../notifications/enqueue-notifications';
import { armWebhooks } from '../outbox/arm';
import { completeDeliveries } from '../outbox/complete';
import { bareResult, storableResult } from '../outbox/storable';
import type { AttemptResult } from '../outbox/types';
import { applyWebhookHealth, type HealthPolicy, hasHealthSignal } from '../webhooks/webhook-health';
import type { WorkerLog } from './worker-log';

const FLUSH_BATCH = 500;

/**
 * Writes attempt outcomes in batches, one flush at a time. Until written, a delivery stays leased,
 * so a crash means a resend, never a loss. A write that fails because the database is away is
 * retried, never dropped; one that fails for one outcome's data never holds back the others.
 */
export class OutcomeWriter {
  private pending: AttemptResult[] = [];
  private flushing: Promise<void> | null = null;
  /** Set when the worker gave up on a graceful stop: pending writes stop retrying. */
  private abandoned = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly owner: string,
    private readonly health: HealthPolicy,
    private readonly log: WorkerLog,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  push(result: AttemptResult): void {
    this.pending.push(storableResult(result));
    if (!this.flushing) this.flushing = this.flush().finally(() => (this.flushing = null));
  }

  /** Resolves once everything pushed so far is written. */
  async drain(): Promise<void> {
    await this.flushing;
    await this.flush();
  }

  abandon(): void {
    this.abandoned = true;
  }

  private async flush(): Promise<void> {
    let failures = 0;
    // Let the sends completing in this tick join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0 && !this.abandoned) {
      const batch = this.pending.splice(0, FLUSH_BATCH);
      try {
        await this.write(batch);
        failures = 0;
      } catch (error) {
        this.pending.unshift(...batch);
        failures++;
        this.log('error', `writing ${batch.length} outcomes failed (${errorMessage(error)}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 100 * 2 ** failures)));
      }
    }
  }

  /**
   * One transaction for the batch, then the arm of its retries. If the database refuses the
   * outcomes for their data (not for being unreachable), each outcome is written alone, and one it still refuses is written bare (its
   * status, without request and response), so its delivery still ends. Writing twice is harmless:
   * the lease guard makes a second write match nothing.
   */
  private async write(batch: AttemptResult[]): Promise<void> {
    try {
      await this.commit(batch);
    } catch (error) {
      if (!isDataError(error)) throw error;
      await this.commitOneByOne(batch);
    }
    // Committed: now the queue may learn of the retries (see lib/outbox/arm.ts). Advisory: a lost
    // arm is found by the sweep-webhook-queues job.
    const retries = batch.flatMap((result) =>
      result.outcome === 'RETRYING' && result.nextAttemptAt
        ? [{ webhookId: result.webhookId, at: result.nextAttemptAt }]
        : [],
    );
    await armWebhooks(this.pool, retries, false).catch((error: unknown) =>
      this.log('warn', `arming ${retries.length} retries failed (${errorMessage(error)}); the sweep will find them`),
    );
  }

  private async commitOneByOne(batch: AttemptResult[]): Promise<void> {
    for (const result of batch) {
      try {
        await this.commit([result]);
      } catch (soloError) {
        if (!isDataError(soloError)) throw soloError;
        this.log('warn', `delivery ${result.deliveryId}: outcome not storable as is (${errorMessage(soloError)})`);
        await this.commit([bareResult(result, errorMessage(soloError))]);
      }
    }
  }

  /**
   * The outcome transaction, owned here: the outcomes, then what they say about their webhooks'
   * health, then the notices their owners are mailed, each step taking the transaction. Health
   * and notices are advisory (behind a savepoint): the database refusing them holds no outcome up.
   * On the queue's pool, so it commits without waiting for the disk (see worker/main.ts).
   */
  private commit(results: AttemptResult[]): Promise<void> {
    return inTransaction(this.pool, async (tx) => {
      await completeDeliveries(tx, this.owner, results);
      const causes = { outcomes: results, disabledWebhookIds: await this.applyHealth(tx, results) };
      if (!hasNoticeCauses(causes)) return;
      const noticed = await advisory(tx, 'failure_notices', () => recordFailureNotices(tx, causes));
      if (!noticed.ok) {
        this.log(
          'error',
          `recording failure notifications failed (${noticed.error.message}); the outcomes are written without them`,
        );
      }
    });
  }

  /** Answers the webhooks the batch turned off. Idempotent: a batch written again changes nothing. */
  private async applyHealth(tx: Tx, results: AttemptResult[]): Promise<string[]> {
    if (!hasHealthSignal(results)) return [];
    const applied = await advisory(tx, 'webhook_health', () => applyWebhookHealth(tx, results, this.health));
    if (applied.ok) return applied.value.map((webhook) => webhook.id);
    this.log('error', `updating webhook health failed: ${applied.error.message}`);
    return [];
  }
}

/** SQLSTATE class 22 (data exception): the values were refused, retrying them as they are cannot help. */
function isDataError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && code.startsWith('22');
}
