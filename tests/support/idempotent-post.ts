import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import { prisma } from '../../lib/db/client';
import { apiClientWithToken } from './api-token';
import { defaultHubId, startApiServer, startWorker } from './herald';
import { Receiver } from './receiver';

/** Shared by the Idempotency-Key tests: the API server over real HTTP, a worker, a receiver and a client. */

export const EVENT = 'dynamic-content.content-item.updated';

export interface Answer {
  status: number;
  text: string;
  headers: http.IncomingHttpHeaders;
  body: {
    id?: string;
    sequenceId?: number;
    deliveries?: { id: string; webhookId: string; status: string }[];
    events?: { id: string; sequenceId: number; deliveries: { id: string }[] }[];
    errors?: { level: string; code: string; property?: string; message: string }[];
  };
}

export interface PostOptions {
  key?: string;
  batch?: boolean;
  hub?: string;
  token?: string;
}

export interface IdempotencyHarness {
  api: { url: string; close(): Promise<void> };
  hubId: string;
  client: { id: string; token: string };
  receiver: Receiver;
  /** A POST over node:http, so the header goes out exactly as given (fetch would refuse some bad keys itself). */
  post(body: unknown, options?: PostOptions): Promise<Answer>;
}

/** Registers the file's setup and teardown; the harness's fields are there from the first test on. */
export function idempotencyHarness(): IdempotencyHarness {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  const harness = { post } as IdempotencyHarness;

  beforeAll(async () => {
    harness.hubId = await defaultHubId();
    harness.api = await startApiServer();
    harness.receiver = await new Receiver().start();
    worker = await startWorker();
    harness.client = await apiClientWithToken(harness.api.url, 'idempotency test');
  });

  afterAll(async () => {
    await worker.stop();
    await harness.receiver.close();
    await harness.api.close();
  });

  function post(body: unknown, options: PostOptions = {}): Promise<Answer> {
    const path = `/v2/content/hubs/${options.hub ?? harness.hubId}/${options.batch ? 'events:batch' : 'events'}`;
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request(new URL(path, harness.api.url), {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${options.token ?? harness.client.token}`,
          'Content-Type': 'application/json',
          ...(options.key === undefined ? {} : { 'Idempotency-Key': options.key }),
        },
      });
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, text, headers: response.headers, body: JSON.parse(text) });
        });
      });
      request.on('error', reject);
      request.end(payload);
    });
  }

  return harness;
}

export const eventBody = (label: string) => ({
  name: EVENT,
  payload: { id: `item-${label}`, label },
  requestId: label,
});
export const eventsWithRequestId = (requestId: string) => prisma().event.count({ where: { requestId } });
export const newKey = () => `key-${randomUUID()}`;
