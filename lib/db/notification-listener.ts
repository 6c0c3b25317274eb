import pg from 'pg';
import { errorMessage } from '../errors';
import { connectClient } from './failover-client';

export interface NotificationHandlers {
  onNotification(channel: string, payload: string): void;
  /** LISTEN is in place on every channel: notifications from now on will arrive. */
  onListening(): void;
  /** LISTEN is gone (connection lost); notifications may be missed until onListening again. */
  onLost(reason: string): void;
}

/**
 * LISTEN on some channels, on a connection of its own (a pooled one would be handed to other
 * queries). When it drops it connects again after a pause (to whichever host of DATABASE_URL is
 * the primary by then) and subscribes again, for as long as it is not closed; callers that cache
 * on the strength of these notifications must stop trusting the cache while it is down (onLost)
 * and start afresh once it is back (onListening).
 */
export class NotificationListener {
  private client: pg.Client | null = null;
  private closed = false;
  /** onLost was said for the current outage: a failover retries every second, once is enough. */
  private lostReported = false;
  listening = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly channels: readonly string[],
    private readonly handlers: NotificationHandlers,
    private readonly reconnectDelayMs = 1000,
  ) {}

  async start(): Promise<void> {
    let lost = false;
    let client: pg.Client | null = null;
    const reconnect = (reason: string) => {
      if (lost) return;
      lost = true;
      if (client && this.client === client) this.client = null;
      this.listening = false;
      client?.end().catch(() => undefined);
      if (this.closed) return;
      if (!this.lostReported) {
        this.lostReported = true;
        this.handlers.onLost(reason);
      }
      setTimeout(() => !this.closed && void this.start(), this.reconnectDelayMs).unref();
    };
    try {
      client = await connectClient(this.databaseUrl);
      const connected = client;
      connected.on('notification', (message) => this.handlers.onNotification(message.channel, message.payload ?? ''));
      connected.on('error', (error) => reconnect(error.message));
      connected.on('end', () => reconnect('connection closed'));
      for (const channel of this.channels) await connected.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (this.closed) {
        await connected.end();
        return;
      }
      this.client = connected;
      this.listening = true;
      this.lostReported = false;
      this.handlers.onListening();
    } catch (error) {
      reconnect(errorMessage(error));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
