import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type pg from 'pg';
import { isMailable, issueConfirmationToken } from './addresses';
import { composeConfirmationEmail, composeEmail, type EmailContent } from './email-content';
import { loadEmailFacts } from './email-facts';
import {
  type ClaimedEmail,
  claimEmails,
  dropEmail,
  gatherEmails,
  markFailed,
  markSent,
  pruneEmails,
  releaseEmails,
} from './email-queue';
import type { Mailer } from './mailer';

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface NotificationSenderOptions {
  pool: pg.Pool;
  mailer: Mailer;
  publicUrl: string;
  /** At most one failures email per address this often. */
  intervalMs: number;
  /** How often to look for notices to mail. */
  pollIntervalMs?: number;
  /** How long a claimed email is held; it must outlast the mailer's own time limits. */
  leaseMs?: number;
  /** The first retry of a failed send waits this long, doubling up to an hour. */
  retryBaseMs?: number;
  /** Sends tried before an email is given up (logged, and left FAILED). */
  maxAttempts?: number;
  /** Finished emails are deleted after this long. */
  retentionMs?: number;
  log: Log;
}

const PRUNE_EVERY_MS = 3_600_000;

/**
 * The worker's mail loop: gathers failure notices into one email per address and interval (a
 * digest of every webhook naming it, once the address is confirmed), sends confirmation links, claims
 * due emails with a lease, sends them and marks them sent. It shares nothing with deliveries but
 * the database: a mail server that is down or slow only delays emails, which are retried with
 * backoff. Delivery of an email is at least once: a sender that dies after the mail server took
 * the email but before marking it leaves the lease to expire, and the email is sent again with the
 * same Message-ID (derived from the email's id), by which mail systems and people can spot it.
 */
export class NotificationSender {
  readonly owner = `${os.hostname().slice(0, 32)}:${process.pid}:mail:${randomBytes(3).toString('hex')}`;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly retryBaseMs: number;
  private readonly maxAttempts: number;
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | null = null;
  private lastPrune = 0;

  constructor(private readonly options: NotificationSenderOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 5000;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.retryBaseMs = options.retryBaseMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? 10;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Finishes the email being sent; claimed ones not started go back at once. */
  async stop(graceMs = 60_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wakeUp?.();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), graceMs);
    });
    if ((await Promise.race([this.loopDone, expired])) === 'expired') {
      this.options.log('warn', 'stopping with a notification email still being sent; its lease will expire');
    }
    clearTimeout(timer);
    this.options.mailer.close();
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.tick();
        failures = 0;
        await this.sleep(this.pollIntervalMs);
      } catch (error) {
        failures++;
        this.options.log('error', `notification emails: ${messageOf(error)}; retrying`);
        await this.sleep(Math.min(60_000, this.pollIntervalMs * 2 ** failures));
      }
    }
  }

  /** One round: gather notices into emails, claim the due ones, send them. */
  private async tick(): Promise<void> {
    const { pool } = this.options;
    if (Date.now() - this.lastPrune > PRUNE_EVERY_MS && this.options.retentionMs !== undefined) {
      this.lastPrune = Date.now();
      await pruneEmails(pool, this.options.retentionMs);
    }
    await gatherEmails(pool, this.options.intervalMs);
    const claimed = await claimEmails(pool, 10, this.leaseMs, this.owner);
    for (const [index, email] of claimed.entries()) {
      if (!this.running) {
        await releaseEmails(
          pool,
          claimed.slice(index).map((rest) => rest.id),
          this.owner,
        );
        return;
      }
      await this.send(email);
    }
  }

  /** What a claimed email says; null when it has nothing left to say. */
  private async compose(email: ClaimedEmail): Promise<EmailContent | null> {
    const { pool, publicUrl } = this.options;
    if (email.kind === 'CONFIRMATION') {
      const token = await issueConfirmationToken(pool, email.recipient);
      if (token === null) return null;
      return composeConfirmationEmail({
        recipient: email.recipient,
        link: `${publicUrl}/confirm-email/${token}`,
        publicUrl,
      });
    }
    if (!(await isMailable(pool, email.recipient))) return null;
    const facts = await loadEmailFacts(pool, email, this.options);
    return facts ? composeEmail(facts) : null;
  }

  private async send(email: ClaimedEmail): Promise<void> {
    const { pool, log } = this.options;
    const content = await this.compose(email);
    if (!content) {
      await dropEmail(pool, email, this.owner);
      return;
    }
    const what = email.kind === 'CONFIRMATION' ? 'confirmation email' : 'notification email';
    try {
      await this.options.mailer.send({ id: email.id, to: email.recipient, ...content });
    } catch (error) {
      const giveUp = email.attempts >= this.maxAttempts;
      const retryInMs = Math.min(3_600_000, this.retryBaseMs * 2 ** (email.attempts - 1));
      log(
        giveUp ? 'error' : 'warn',
        `${what} ${email.id} to ${email.recipient} not sent: ${messageOf(error)}; ${
          giveUp ? `giving up after ${email.attempts} attempts` : `retrying in ${Math.round(retryInMs / 1000)} s`
        }`,
      );
      await markFailed(pool, email, this.owner, messageOf(error), { giveUp, retryInMs });
      return;
    }
    await markSent(pool, email, this.owner);
    log('info', `${what} ${email.id} sent to ${email.recipient}`);
  }

  private async sleep(ms: number): Promise<void> {
    if (!this.running) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
