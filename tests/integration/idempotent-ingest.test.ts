import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { database, prisma } from '../../lib/db/client';
import { createHub } from '../../lib/hubs/hubs';
import { pruneIdempotencyKeys } from '../../lib/idempotency/retention';
import { IDEMPOTENCY_KEY_RETENTION_MS } from '../../lib/idempotency/types';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { apiClientWithToken } from '../support/api-token';
import { defaultHubId, startApiServer, startWorker } from '../support/herald';
import { Receiver } from '../support/receiver';
import { waitFor } from '../support/wait';

/** `Idempotency-Key` on `POST …/events` and `…/events:batch`, over real HTTP through the API server. */
let api: { url: string; close(): Promise<void> };
let hubId: string;
let otherHubId: string;
let client: { id: string; token: string };
let otherClient: { id: string; token: string };
let receiver: Receiver;
let worker: Awaited<ReturnType<typeof startWorker>>;

const EVENT = 'dynamic-content.content-item.updated';

beforeAll(async () => {
  hubId = await defaultHubId();
  otherHubId = (await createHub('idempotency-other', 'Other hub')).id;
  api = await startApiServer();
  receiver = await new Receiver().start();
  worker = await startWorker();
  client = await apiClientWithToken(api.url, 'idempotency test');
  otherClient = await apiClientWithToken(api.url, 'idempotency other client');
});

afterAll(async () => {
  await worker.stop();
  await receiver.close();
  await api.close();
});

interface Answer {
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

/** A POST over node:http, so the header goes out exactly as given (fetch would refuse some bad keys itself). */
function post(
  body: unknown,
  options: { key?: string; batch?: boolean; hub?: string; token?: string } = {},
): Promise<Answer> {
  const path = `/v2/content/hubs/${options.hub ?? hubId}/${options.batch ? 'events:batch' : 'events'}`;
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(path, api.url), {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${options.token ?? client.token}`,
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

const eventBody = (label: string) => ({ name: EVENT, payload: { id: `item-${label}`, label }, requestId: label });
const eventsWithRequestId = (requestId: string) => prisma().event.count({ where: { requestId } });
const newKey = () => `key-${randomUUID()}`;

describe('Idempotency-Key on POST …/events', () => {
  it('a retry with the same key and body gets the first answer byte for byte, and one event with one delivery per webhook', async () => {
    const hooks = await Promise.all(
      ['a', 'b'].map((name) =>
        createWebhook(hubId, { label: `idem ${name}`, events: [EVENT], handlers: [`${receiver.url}/idem-${name}`] }),
      ),
    );
    const key = newKey();
    const body = eventBody('retry');
    const first = await post(body, { key });
    expect(first.status).toBe(202);
    expect(first.body.deliveries?.map((delivery) => delivery.webhookId).sort()).toEqual(
      hooks.map((hook) => hook.id).sort(),
    );
    const second = await post(body, { key });
    expect(second.status).toBe(202);
    expect(second.text).toBe(first.text);

    expect(await eventsWithRequestId('retry')).toBe(1);
    expect(await prisma().delivery.count({ where: { eventId: first.body.id } })).toBe(2);
    const delivered = () => receiver.requests.filter((request) => JSON.parse(request.body).id === first.body.id);
    await waitFor(() => delivered().length >= 2, { what: 'both webhooks to receive the event' });
    expect(
      delivered()
        .map((request) => request.path)
        .sort(),
    ).toEqual(['/idem-a', '/idem-b']);
    // Each webhook's one delivery, with the webhook-id the answer named.
    expect(
      delivered()
        .map((request) => request.headers['webhook-id'])
        .sort(),
    ).toEqual(first.body.deliveries?.map((delivery) => delivery.id).sort());
  });

  it('duplicates sent at the same time create exactly one event, and all get its answer', async () => {
    const key = newKey();
    const body = eventBody('concurrent');
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(body, { key })));
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(await eventsWithRequestId('concurrent')).toBe(1);
  });

  it('the same key with another body is refused with 422 IDEMPOTENCY_KEY_REUSED and creates nothing', async () => {
    const key = newKey();
    expect((await post(eventBody('reused-1'), { key })).status).toBe(202);
    const reused = await post(eventBody('reused-2'), { key });
    expect(reused.status).toBe(422);
    expect(reused.body.errors).toEqual([
      {
        level: 'ERROR',
        code: 'IDEMPOTENCY_KEY_REUSED',
        property: 'Idempotency-Key',
        message: expect.stringContaining('another request body'),
      },
    ]);
    expect(await eventsWithRequestId('reused-2')).toBe(0);
    // The exact bytes count: the same JSON spelled with other whitespace is another body.
    const respelled = await post(JSON.stringify(eventBody('reused-1'), null, 2), { key });
    expect(respelled.status).toBe(422);
  });

  it('a key belongs to one client on one hub: the same key from another client or for another hub is independent', async () => {
    const key = newKey();
    const body = eventBody('scoped');
    const mine = await post(body, { key });
    const theirs = await post(body, { key, token: otherClient.token });
    const otherHub = await post(body, { key, hub: otherHubId });
    expect([mine.status, theirs.status, otherHub.status]).toEqual([202, 202, 202]);
    expect(new Set([mine.body.id, theirs.body.id, otherHub.body.id]).size).toBe(3);
    expect(await eventsWithRequestId('scoped')).toBe(3);
    // And each is replayed within its own scope.
    expect((await post(body, { key, token: otherClient.token })).text).toBe(theirs.text);
    expect((await post(body, { key, hub: otherHubId })).text).toBe(otherHub.text);
    expect(await eventsWithRequestId('scoped')).toBe(3);
  });

  it('refuses a malformed key with 400 naming the header, before storing anything', async () => {
    for (const key of ['', 'a'.repeat(256), 'with space', 'caf\u00e9']) {
      const answer = await post(eventBody('bad-key'), { key });
      expect(answer.status, JSON.stringify(key)).toBe(400);
      expect(answer.body.errors?.[0]).toMatchObject({ code: 'VALIDATION_ERROR', property: 'Idempotency-Key' });
      expect(answer.body.errors?.[0]?.message).toContain('Idempotency-Key must be 1 to 255 visible ASCII characters');
    }
    expect(await eventsWithRequestId('bad-key')).toBe(0);
    // The longest and the oddest keys the rule allows.
    expect((await post(eventBody('long-key'), { key: 'k'.repeat(255) })).status).toBe(202);
    expect((await post(eventBody('odd-key'), { key: `!~"{}[]\\/${randomUUID()}` })).status).toBe(202);
  });

  it('an invalid body does not use up the key: the corrected request is taken', async () => {
    const key = newKey();
    const invalid = await post({ name: EVENT, payload: 'not an object', requestId: 'corrected' }, { key });
    expect(invalid.status).toBe(400);
    expect(await prisma().idempotencyKey.count({ where: { key } })).toBe(0);
    const corrected = await post(eventBody('corrected'), { key });
    expect(corrected.status).toBe(202);
    expect(await eventsWithRequestId('corrected')).toBe(1);
  });

  it('without the header every request is a new event', async () => {
    const body = eventBody('no-key');
    expect((await post(body)).status).toBe(202);
    expect((await post(body)).status).toBe(202);
    expect(await eventsWithRequestId('no-key')).toBe(2);
  });

  it('while another server handles the same key, waits for its commit and answers what it stored', async () => {
    const key = newKey();
    const body = JSON.stringify(eventBody('other-server'));
    const storedAnswer = { id: randomUUID(), sequenceId: 424242, deliveries: [] };
    // Another web server's emit, caught between its insert and its commit.
    const other = await database().pool.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        'INSERT INTO idempotency_keys (hub_id, client_id, key, body_hash, answer) VALUES ($1, $2, $3, $4, $5)',
        [hubId, client.id, key, createHash('sha256').update(body).digest(), JSON.stringify(storedAnswer)],
      );
      const pending = post(body, { key });
      await waitFor(
        async () => {
          // The emit statement, waiting for the other transaction (on the key's primary key).
          const { rows } = await database().pool.query<{ waiting: string }>(
            `SELECT count(*) AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event = 'transactionid'
                AND query LIKE '%UPDATE hubs SET last_sequence_id%'`,
          );
          return Number(rows[0]?.waiting) > 0;
        },
        { what: 'the request to wait for the other server' },
      );
      await other.query('COMMIT');
      const answer = await pending;
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual(storedAnswer);
      expect(await eventsWithRequestId('other-server')).toBe(0);
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      other.release();
    }
  });
});

describe('Idempotency-Key on POST …/events:batch', () => {
  it('a retry gets the first answer and creates nothing; another body under the key is refused with 422', async () => {
    const key = newKey();
    const batch = { events: [eventBody('batch-1'), eventBody('batch-2'), eventBody('batch-3')] };
    const answers = await Promise.all([post(batch, { key, batch: true }), post(batch, { key, batch: true })]);
    expect(answers.map((answer) => answer.status)).toEqual([202, 202]);
    expect(answers[1]?.text).toBe(answers[0]?.text);
    const [first] = answers;
    expect(first?.body.events).toHaveLength(3);
    const base = first?.body.events?.[0]?.sequenceId ?? 0;
    expect(first?.body.events?.map((event) => event.sequenceId)).toEqual([base, base + 1, base + 2]);
    const again = await post(batch, { key, batch: true });
    expect(again.text).toBe(first?.text);
    for (const requestId of ['batch-1', 'batch-2', 'batch-3']) expect(await eventsWithRequestId(requestId)).toBe(1);

    const other = await post({ events: [eventBody('batch-4')] }, { key, batch: true });
    expect(other.status).toBe(422);
    expect(other.body.errors?.[0]?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await eventsWithRequestId('batch-4')).toBe(0);
  });

  it('keys of single events and of batches grouped into one commit are each stored with their own answer', async () => {
    // Many keyed requests at once on one hub: the emit groups them into shared commits.
    const requests = Array.from({ length: 20 }, (_, index) => ({
      key: newKey(),
      batch: index % 2 === 0,
      body:
        index % 2 === 0
          ? { events: [eventBody(`group-${index}-a`), eventBody(`group-${index}-b`)] }
          : eventBody(`group-${index}`),
    }));
    const firsts = await Promise.all(requests.map((request) => post(request.body, request)));
    expect(firsts.every((answer) => answer.status === 202)).toBe(true);
    const replays = await Promise.all(requests.map((request) => post(request.body, request)));
    expect(replays.map((answer) => answer.text)).toEqual(firsts.map((answer) => answer.text));
    expect(await prisma().event.count({ where: { requestId: { startsWith: 'group-' } } })).toBe(30);
  });

  it('a retry grouped into one commit with new requests gets its first answer; the new requests are committed', async () => {
    const key = newKey();
    const first = await post(eventBody('mixed-retry'), { key });
    expect(first.status).toBe(202);
    const fresh = Array.from({ length: 10 }, (_, index) => ({ key: newKey(), body: eventBody(`mixed-${index}`) }));
    const [retry, ...answers] = await Promise.all([
      post(eventBody('mixed-retry'), { key }),
      ...fresh.map((request) => post(request.body, request)),
      ...Array.from({ length: 5 }, (_, index) => post(eventBody(`mixed-plain-${index}`))),
    ]);
    expect(retry?.text).toBe(first.text);
    expect(answers.map((answer) => answer.status)).toEqual(Array(15).fill(202));
    expect(await eventsWithRequestId('mixed-retry')).toBe(1);
    expect(await prisma().event.count({ where: { requestId: { startsWith: 'mixed-' } } })).toBe(16);
    // Nothing the retry's failed commit held back left a gap in the hub's sequence.
    const sequenceIds = answers.map((answer) => answer.body.sequenceId ?? 0).sort((a, b) => a - b);
    const events = await prisma().event.findMany({
      where: { hubId, sequenceId: { gte: sequenceIds[0], lte: sequenceIds.at(-1) } },
      select: { sequenceId: true },
    });
    expect(events).toHaveLength(Number((sequenceIds.at(-1) ?? 0) - (sequenceIds[0] ?? 0)) + 1);
  });

  it('a key stored before answers carried their commit base is answered as it was stored', async () => {
    const key = newKey();
    const body = JSON.stringify(eventBody('stored-absolute'));
    const answer = { id: randomUUID(), sequenceId: 41, deliveries: [] };
    await database().pool.query(
      `INSERT INTO idempotency_keys (hub_id, client_id, key, body_hash, answer) VALUES ($1, $2, $3, $4, $5::json)`,
      [hubId, client.id, key, createHash('sha256').update(body).digest(), JSON.stringify(answer)],
    );
    const replay = await post(body, { key });
    expect(replay.status).toBe(202);
    expect(replay.text).toBe(JSON.stringify(answer));
    expect(await eventsWithRequestId('stored-absolute')).toBe(0);
  });
});

describe('idempotency key retention', () => {
  it('the prune removes keys older than the retention and keeps newer ones', async () => {
    const old = newKey();
    const recent = newKey();
    expect((await post(eventBody('prune-old'), { key: old })).status).toBe(202);
    expect((await post(eventBody('prune-recent'), { key: recent })).status).toBe(202);
    await database().pool.query(
      `UPDATE idempotency_keys SET created_date = now() - $2 * interval '1 millisecond' WHERE key = $1`,
      [old, IDEMPOTENCY_KEY_RETENTION_MS + 60_000],
    );
    await database().pool.query(
      `UPDATE idempotency_keys SET created_date = now() - $2 * interval '1 millisecond' WHERE key = $1`,
      [recent, IDEMPOTENCY_KEY_RETENTION_MS - 60_000],
    );
    expect(await pruneIdempotencyKeys(database().pool, IDEMPOTENCY_KEY_RETENTION_MS)).toBe(1);
    expect(await prisma().idempotencyKey.count({ where: { key: old } })).toBe(0);
    expect(await prisma().idempotencyKey.count({ where: { key: recent } })).toBe(1);
    // Once pruned, the key names a new request.
    expect((await post(eventBody('prune-old'), { key: old })).status).toBe(202);
    expect(await eventsWithRequestId('prune-old')).toBe(2);
  });
});
