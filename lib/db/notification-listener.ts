import pg from 'pg';

export interface NotificationHandlers {
  onNotification(channel: string, payload: string): void;
  /** LISTEN is in place on every channel: notifications from now on will arrive. */
  onListening(): void;
  /** LISTEN is gone (connection lost); notifications may be missed until onListening again. */
  onLost(reason: string): void;
}

/**
 * LISTEN on some channels, on a connection of its own (a pooled one would be handed to other
 * queries). When it drops it reconnects after a pause, for as long as it is not closed; callers
 * that cache on the strength of these notifications must stop trusting the cache while it is
 * down (onLost) and start afresh once it is back (onListening).
 */
export class NotificationListener {
  private client: pg.Client | null = null;
  private closed = false;
  listening = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly channels: readonly string[],
    private readonly handlers: NotificationHandlers,
    private readonly reconnectDelayMs = 1000,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    let lost = false;
    const reconnect = (reason: string) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = null;
      this.listening = false;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.handlers.onLost(reason);
      setTimeout(() => !this.closed && void this.start(), this.reconnectDelayMs).unref();
    };
    client.on('notification', (message) => this.handlers.onNotification(message.channel, message.payload ?? ''));
    client.on('error', (error) => reconnect(error.message));
    client.on('end', () => reconnect('connection closed'));
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      this.listening = true;
      this.handlers.onListening();
    } catch (error) {
      reconnect(error instanceof Error ? error.message : String(error));
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
