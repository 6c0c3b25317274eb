import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { database, prisma } from '../../lib/db/client';
import { eventBody, eventsWithRequestId, idempotencyHarness, newKey } from '../support/idempotent-post';

/** `Idempotency-Key` on `POST …/events:batch`, and keyed requests grouped into one commit. */
const h = idempotencyHarness();

describe('Idempotency-Key on POST …/events:batch', () => {
  it('a retry gets the first answer and creates nothing; another body under the key is refused with 422', async () => {
    const key = newKey();
    const batch = { events: [eventBody('batch-1'), eventBody('batch-2'), eventBody('batch-3')] };
    const answers = await Promise.all([h.post(batch, { key, batch: true }), h.post(batch, { key, batch: true })]);
    expect(answers.map((answer) => answer.status)).toEqual([202, 202]);
    expect(answers[1]?.text).toBe(answers[0]?.text);
    const [first] = answers;
    expect(first?.body.events).toHaveLength(3);
    const base = first?.body.events?.[0]?.sequenceId ?? 0;
    expect(first?.body.events?.map((event) => event.sequenceId)).toEqual([base, base + 1, base + 2]);
    const again = await h.post(batch, { key, batch: true });
    expect(again.text).toBe(first?.text);
    for (const requestId of ['batch-1', 'batch-2', 'batch-3']) expect(await eventsWithRequestId(requestId)).toBe(1);

    const other = await h.post({ events: [eventBody('batch-4')] }, { key, batch: true });
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
    const firsts = await Promise.all(requests.map((request) => h.post(request.body, request)));
    expect(firsts.every((answer) => answer.status === 202)).toBe(true);
    const replays = await Promise.all(requests.map((request) => h.post(request.body, request)));
    expect(replays.map((answer) => answer.text)).toEqual(firsts.map((answer) => answer.text));
    expect(await prisma().event.count({ where: { requestId: { startsWith: 'group-' } } })).toBe(30);
  });

  it('a retry grouped into one commit with new requests gets its first answer; the new requests are committed', async () => {
    const key = newKey();
    const first = await h.post(eventBody('mixed-retry'), { key });
    expect(first.status).toBe(202);
    const fresh = Array.from({ length: 10 }, (_, index) => ({ key: newKey(), body: eventBody(`mixed-${index}`) }));
    const [retry, ...answers] = await Promise.all([
      h.post(eventBody('mixed-retry'), { key }),
      ...fresh.map((request) => h.post(request.body, request)),
      ...Array.from({ length: 5 }, (_, index) => h.post(eventBody(`mixed-plain-${index}`))),
    ]);
    expect(retry?.text).toBe(first.text);
    expect(answers.map((answer) => answer.status)).toEqual(Array(15).fill(202));
    expect(await eventsWithRequestId('mixed-retry')).toBe(1);
    expect(await prisma().event.count({ where: { requestId: { startsWith: 'mixed-' } } })).toBe(16);
    // Nothing the retry's failed commit held back left a gap in the hub's sequence.
    const sequenceIds = answers.map((answer) => answer.body.sequenceId ?? 0).sort((a, b) => a - b);
    const events = await prisma().event.findMany({
      where: { hubId: h.hubId, sequenceId: { gte: sequenceIds[0], lte: sequenceIds.at(-1) } },
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
      [h.hubId, h.client.id, key, createHash('sha256').update(body).digest(), JSON.stringify(answer)],
    );
    const replay = await h.post(body, { key });
    expect(replay.status).toBe(202);
    expect(replay.text).toBe(JSON.stringify(answer));
    expect(await eventsWithRequestId('stored-absolute')).toBe(0);
  });
});
