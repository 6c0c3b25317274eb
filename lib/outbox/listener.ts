import pg from 'pg';
import { DELIVERIES_CHANNEL } from './channel';

export interface OutboxListenerOptions {
  databaseUrl: string;
  /** Called on every NOTIFY: deliveries may be due. */
  onNotify: () => void;
  /** Called when LISTEN is lost; polling carries the worker until it is back. */
  onLost: (reason: string) => void;
  reconnectDelayMs?: number;
}

/**
 * LISTEN on a connection of its own (a pooled one would be handed to other queries). When it
 * drops, it reconnects after a pause, for as long as it is not closed.
 */
export class OutboxListener {
  private client: pg.Client | null = null;
  private closed = false;

  constructor(private readonly options: OutboxListenerOptions) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    let lost = false;
    const reconnect = (reason: string) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = null;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.options.onLost(reason);
      setTimeout(() => !this.closed && void this.start(), this.options.reconnectDelayMs ?? 1000).unref();
    };
    client.on('notification', () => this.options.onNotify());
    client.on('error', (error) => reconnect(error.message));
    client.on('end', () => reconnect('connection closed'));
    try {
      await client.connect();
      await client.query(`LISTEN ${DELIVERIES_CHANNEL}`);
      this.client = client;
    } catch (error) {
      reconnect(error instanceof Error ? error.message : String(error));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
