import { createHash, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { database, prisma } from '../../lib/db/client';
import { createHub } from '../../lib/hubs/hubs';
import { pruneIdempotencyKeys } from '../../lib/idempotency/retention';
import { IDEMPOTENCY_KEY_RETENTION_MS } from '../../lib/idempotency/types';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { apiClientWithToken } from '../support/api-token';
import { EVENT, eventBody, eventsWithRequestId, idempotencyHarness, newKey } from '../support/idempotent-post';
import { waitFor } from '../support/wait';

/** `Idempotency-Key` on `POST …/events`, over real HTTP through the API server; batches in idempotent-batch.test.ts. */
const h = idempotencyHarness();
let otherHubId: string;
let otherClient: { id: string; token: string };

beforeAll(async () => {
  otherHubId = (await createHub('idempotency-other', 'Other hub')).id;
  otherClient = await apiClientWithToken(h.api.url, 'idempotency other client');
});

describe('Idempotency-Key on POST …/events', () => {
  it('a retry with the same key and body gets the first answer byte for byte, and one event with one delivery per webhook', async () => {
    const hooks = await Promise.all(
      ['a', 'b'].map((name) =>
        createWebhook(h.hubId, {
          label: `idem ${name}`,
          events: [EVENT],
          handlers: [`${h.receiver.url}/idem-${name}`],
        }),
      ),
    );
    const key = newKey();
    const body = eventBody('retry');
    const first = await h.post(body, { key });
    expect(first.status).toBe(202);
    expect(first.body.deliveries?.map((delivery) => delivery.webhookId).sort()).toEqual(
      hooks.map((hook) => hook.id).sort(),
    );
    const second = await h.post(body, { key });
    expect(second.status).toBe(202);
    expect(second.text).toBe(first.text);

    expect(await eventsWithRequestId('retry')).toBe(1);
    expect(await prisma().delivery.count({ where: { eventId: first.body.id } })).toBe(2);
    const delivered = () => h.receiver.requests.filter((request) => JSON.parse(request.body).id === first.body.id);
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
    const answers = await Promise.all(Array.from({ length: 5 }, () => h.post(body, { key })));
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(await eventsWithRequestId('concurrent')).toBe(1);
  });

  it('the same key with another body is refused with 422 IDEMPOTENCY_KEY_REUSED and creates nothing', async () => {
    const key = newKey();
    expect((await h.post(eventBody('reused-1'), { key })).status).toBe(202);
    const reused = await h.post(eventBody('reused-2'), { key });
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
    const respelled = await h.post(JSON.stringify(eventBody('reused-1'), null, 2), { key });
    expect(respelled.status).toBe(422);
  });

  it('a key belongs to one client on one hub: the same key from another client or for another hub is independent', async () => {
    const key = newKey();
    const body = eventBody('scoped');
    const mine = await h.post(body, { key });
    const theirs = await h.post(body, { key, token: otherClient.token });
    const otherHub = await h.post(body, { key, hub: otherHubId });
    expect([mine.status, theirs.status, otherHub.status]).toEqual([202, 202, 202]);
    expect(new Set([mine.body.id, theirs.body.id, otherHub.body.id]).size).toBe(3);
    expect(await eventsWithRequestId('scoped')).toBe(3);
    // And each is replayed within its own scope.
    expect((await h.post(body, { key, token: otherClient.token })).text).toBe(theirs.text);
    expect((await h.post(body, { key, hub: otherHubId })).text).toBe(otherHub.text);
    expect(await eventsWithRequestId('scoped')).toBe(3);
  });

  it('refuses a malformed key with 400 naming the header, before storing anything', async () => {
    for (const key of ['', 'a'.repeat(256), 'with space', 'caf\u00e9']) {
      const answer = await h.post(eventBody('bad-key'), { key });
      expect(answer.status, JSON.stringify(key)).toBe(400);
      expect(answer.body.errors?.[0]).toMatchObject({ code: 'VALIDATION_ERROR', property: 'Idempotency-Key' });
      expect(answer.body.errors?.[0]?.message).toContain('Idempotency-Key must be 1 to 255 visible ASCII characters');
    }
    expect(await eventsWithRequestId('bad-key')).toBe(0);
    // The longest and the oddest keys the rule allows.
    expect((await h.post(eventBody('long-key'), { key: 'k'.repeat(255) })).status).toBe(202);
    expect((await h.post(eventBody('odd-key'), { key: `!~"{}[]\\/${randomUUID()}` })).status).toBe(202);
  });

  it('an invalid body does not use up the key: the corrected request is taken', async () => {
    const key = newKey();
    const invalid = await h.post({ name: EVENT, payload: 'not an object', requestId: 'corrected' }, { key });
    expect(invalid.status).toBe(400);
    expect(await prisma().idempotencyKey.count({ where: { key } })).toBe(0);
    const corrected = await h.post(eventBody('corrected'), { key });
    expect(corrected.status).toBe(202);
    expect(await eventsWithRequestId('corrected')).toBe(1);
  });

  it('without the header every request is a new event', async () => {
    const body = eventBody('no-key');
    expect((await h.post(body)).status).toBe(202);
    expect((await h.post(body)).status).toBe(202);
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
        [h.hubId, h.client.id, key, createHash('sha256').update(body).digest(), JSON.stringify(storedAnswer)],
      );
      const pending = h.post(body, { key });
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

describe('idempotency key retention', () => {
  it('the prune removes keys older than the retention and keeps newer ones', async () => {
    const old = newKey();
    const recent = newKey();
    expect((await h.post(eventBody('prune-old'), { key: old })).status).toBe(202);
    expect((await h.post(eventBody('prune-recent'), { key: recent })).status).toBe(202);
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
    expect((await h.post(eventBody('prune-old'), { key: old })).status).toBe(202);
    expect(await eventsWithRequestId('prune-old')).toBe(2);
  });
});
