import net from 'node:net';

/**
 * A client socket driven by hand, for what fetch cannot do: send headers or a body a few bytes at
 * a time, or open a connection and send nothing. `closed` settles when the server ends it, with
 * what the server sent and when.
 */
export interface RawConnection {
  socket: net.Socket;
  /** Whatever the server has sent so far. */
  received(): string;
  closed: Promise<{ received: string; at: number }>;
  connected: Promise<void>;
}

export function openRawConnection(url: string): RawConnection {
  const { hostname, port } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port) });
  let data = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    data += chunk;
  });
  // A reset from the server is one more way of being cut off.
  socket.on('error', () => undefined);
  const closed = new Promise<{ received: string; at: number }>((resolve) =>
    socket.once('close', () => resolve({ received: data, at: Date.now() })),
  );
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, received: () => data, closed, connected };
}

/**
 * Writes `text` one byte per `everyMs` until the connection closes or the text runs out: a client
 * that trickles. Returns a function that stops it.
 */
export function trickle(connection: RawConnection, text: string, everyMs: number): () => void {
  let index = 0;
  const timer = setInterval(() => {
    if (connection.socket.destroyed || index >= text.length) {
      clearInterval(timer);
      return;
    }
    connection.socket.write(text[index++] as string);
  }, everyMs);
  void connection.closed.then(() => clearInterval(timer));
  return () => clearInterval(timer);
}
