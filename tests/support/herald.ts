import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApiRequest } from '../../lib/api/router';
import type { PrivateDestinationPolicy } from '../../lib/config/env';
import { database, prisma } from '../../lib/db/client';
import { DeliveryWorker } from '../../lib/delivery/worker';
import { ensureDefaultHub } from '../../lib/hubs/hubs';
import { waitFor } from './wait';

export interface TestWorkerOptions {
  schedule?: number[];
  timeoutMs?: number;
  privateDestinations?: PrivateDestinationPolicy;
  leaseMs?: number;
  disableAfterMs?: number;
  concurrency?: number;
  maxInFlightPerWebhook?: number;
}

export async function startWorker(options: TestWorkerOptions = {}): Promise<DeliveryWorker> {
  const db = database();
  const worker = new DeliveryWorker({
    databaseUrl: db.url,
    pool: db.pool,
    prisma: db.prisma,
    schedule: options.schedule ?? [0, 100, 200],
    timeoutMs: options.timeoutMs ?? 2000,
    privateDestinations: options.privateDestinations ?? 'loopback',
    disableAfterMs: options.disableAfterMs ?? 5 * 86_400_000,
    leaseMs: options.leaseMs,
    concurrency: options.concurrency ?? 50,
    maxInFlightPerWebhook: options.maxInFlightPerWebhook,
    pollIntervalMs: 200,
    log: () => undefined,
  });
  await worker.start();
  return worker;
}

export async function defaultHubId(): Promise<string> {
  return (await ensureDefaultHub()).id;
}

/** Waits until a delivery reaches one of the given statuses, and returns it with its attempts. */
export async function waitForDelivery(id: string, statuses: string[], timeoutMs = 20_000) {
  return waitFor(
    async () => {
      const delivery = await prisma().delivery.findUnique({
        where: { id },
        include: { attempts: { orderBy: { startedAt: 'asc' } } },
      });
      return delivery && statuses.includes(delivery.status) ? delivery : undefined;
    },
    { timeoutMs, what: `delivery ${id} to be ${statuses.join('/')}` },
  );
}

/** A request body as Next.js passes it on: pulled from the socket only as the handler reads. */
function streamOf(req: http.IncomingMessage): ReadableStream<Uint8Array> {
  const chunks = req[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await chunks.return?.();
    },
  });
}

/** Serves the HTTP API (the same handler Next.js mounts) from a plain node:http server. */
export async function startApiServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    // The body streams in, as Next.js hands it to route handlers, so size limits apply while reading.
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const init: RequestInit & { duplex: 'half' } = {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: hasBody ? streamOf(req) : undefined,
      duplex: 'half',
    };
    const request = new Request(`http://${req.headers.host}${req.url}`, init);
    const response = await handleApiRequest(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
