import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * The bad neighbours' endpoints, on 127.0.0.1 in the benchmark's own process (they do no work):
 * one that reads each request and never answers (a load balancer in front of a dead app), and
 * one that answers 500 to everything. Each counts what it got; close() drops the held sockets,
 * so the worker's hanging requests end at once.
 */
export interface BadEndpoint {
  url: string;
  /** Requests read in full. */
  received(): number;
  /** Requests read and still waiting for an answer. */
  holding(): number;
  close(): Promise<void>;
}

export async function startBadEndpoint(behaviour: 'hang' | 500): Promise<BadEndpoint> {
  let received = 0;
  let holding = 0;
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      if (behaviour === 500) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('down');
        return;
      }
      holding++;
      res.on('close', () => holding--);
    });
  });
  // No time limits of Node's own: the connection stays open until the worker gives up.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => received,
    holding: () => holding,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
