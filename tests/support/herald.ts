import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiClient } from '../../lib/auth/api-clients';
import type { PrivateDestinationPolicy } from '../../lib/config/env';
import { database, prisma } from '../../lib/db/client';
import { type AttemptFn, DeliveryWorker } from '../../lib/delivery/worker';
import { ensureDefaultHub } from '../../lib/hubs/hubs';
import { handleApiNodeRequest } from '../../lib/server/api-server';
import { waitFor } from './wait';

export interface TestWorkerOptions {
  schedule?: number[];
  timeoutMs?: number;
  privateDestinations?: PrivateDestinationPolicy;
  leaseMs?: number;
  disableAfterMs?: number;
  concurrency?: number;
  maxInFlightPerWebhook?: number;
  /** Wraps each attempt (to hold results back, or inject a fault). */
  attempt?: AttemptFn;
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
    attempt: options.attempt,
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

/** Serves the HTTP API from the handler Herald's web server mounts (lib/server/api-server.ts). */
export async function startApiServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => void handleApiNodeRequest(req, res));
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

/** A new API client's bearer token, from the API's own `POST /oauth/token`. */
export async function apiToken(apiUrl: string, clientName: string): Promise<string> {
  const client = await createApiClient(clientName);
  const response = await fetch(`${apiUrl}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}
