import { NotificationListener } from '../db/notification-listener';
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
 * LISTEN on the deliveries channel, on a connection of its own that connects again (to the
 * primary of the moment) and subscribes again whenever it drops, for as long as it is not closed.
 * Coming back wakes the worker once, for whatever was queued while nobody listened.
 */
export class OutboxListener {
  private readonly listener: NotificationListener;

  constructor(options: OutboxListenerOptions) {
    let subscribed = false;
    this.listener = new NotificationListener(
      options.databaseUrl,
      [DELIVERIES_CHANNEL],
      {
        onNotification: options.onNotify,
        // The worker claims as it starts; after a reconnect it claims what came in meanwhile.
        onListening: () => {
          if (subscribed) options.onNotify();
          subscribed = true;
        },
        onLost: options.onLost,
      },
      options.reconnectDelayMs ?? 1000,
    );
  }

  get listening(): boolean {
    return this.listener.listening;
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  close(): Promise<void> {
    return this.listener.close();
  }
}
