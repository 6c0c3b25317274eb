import { describe, expect, it } from 'vitest';
import { createSession, deleteSession, sessionId, sessionUser } from '../../../lib/auth/sessions';
import { createFirstAdmin, hasUsers, SetupDoneError, verifyCredentials } from '../../../lib/auth/users';
import { prisma } from '../../../lib/db/client';
import { listRecentEvents } from '../../../lib/activity-log/recent-events';
import { webhookStats } from '../../../lib/activity-log/webhook-stats';
import { ValidationError } from '../../../lib/errors';
import { emitEvent } from '../../../lib/events/emit-event';
import { createHub } from '../../../lib/hubs/hubs';
import { createWebhook } from '../../../lib/webhooks/create-webhook';

const EVENT = 'dynamic-content.content-item.updated';

describe('first admin, sign-in and sessions', () => {
  it('creates exactly one first admin, even when two setups race', async () => {
    expect(await hasUsers()).toBe(false);
    await expect(createFirstAdmin({ email: 'a@example.com', password: 'short' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    const results = await Promise.allSettled([
      createFirstAdmin({ email: 'Admin@Example.com', password: 'a long enough password' }),
      createFirstAdmin({ email: 'other@example.com', password: 'a long enough password' }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toBeInstanceOf(SetupDoneError);
    expect(await prisma().user.count()).toBe(1);
  });

  it('verifies credentials with the stored scrypt hash', async () => {
    const user = await prisma().user.findFirstOrThrow({ omit: { passwordHash: false } });
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    const email = user.email;
    expect(await verifyCredentials({ email: email.toUpperCase(), password: 'a long enough password' })).toMatchObject({
      email,
    });
    expect(await verifyCredentials({ email, password: 'a wrong password!!' })).toBeNull();
    expect(await verifyCredentials({ email: 'nobody@example.com', password: 'a long enough password' })).toBeNull();
  });

  it('stores only the hash of the session token, and ends sessions', async () => {
    const user = await prisma().user.findFirstOrThrow();
    const { token, expiresAt } = await createSession(user.id);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(await prisma().session.findUnique({ where: { id: token } })).toBeNull();
    expect(await prisma().session.findUnique({ where: { id: sessionId(token) } })).not.toBeNull();
    expect(await sessionUser(token)).toMatchObject({ id: user.id });
    expect(await sessionUser('made-up')).toBeNull();
    expect(await sessionUser(undefined)).toBeNull();

    await prisma().session.update({
      where: { id: sessionId(token) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await sessionUser(token)).toBeNull();

    const second = await createSession(user.id);
    await deleteSession(second.token);
    expect(await sessionUser(second.token)).toBeNull();
  });
});

describe('webhook list stats and recent events', () => {
  it('gives the last sent delivery and the 24 h success rate per webhook in one query', async () => {
    const hub = await createHub('stats-test', 'Stats');
    const base = { events: [EVENT], handlers: ['https://example.com/hook'] };
    const busy = await createWebhook(hub.id, { ...base, label: 'busy' });
    const filtered = await createWebhook(hub.id, {
      ...base,
      label: 'filtered',
      filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.id' }, { value: 'never' }] }],
    });
    const idle = await createWebhook(hub.id, { ...base, label: 'idle' });
    await prisma().webhook.update({ where: { id: idle.id }, data: { active: false } });

    for (let i = 0; i < 5; i++) await emitEvent(hub.id, { name: EVENT, payload: { id: `item-${i}` } });
    const deliveries = await prisma().delivery.findMany({
      where: { webhookId: busy.id },
      orderBy: { createdDate: 'asc' },
    });
    const [old, ...recent] = deliveries;
    // One delivery is older than the window; of the rest, 3 delivered and 1 failed.
    await prisma().delivery.update({
      where: { id: old!.id },
      data: { status: 'FAILED', createdDate: new Date(Date.now() - 48 * 3600 * 1000) },
    });
    for (const [index, delivery] of recent.entries()) {
      await prisma().delivery.update({
        where: { id: delivery.id },
        data: index === 1 ? { status: 'FAILED', lastStatusCode: 500 } : { status: 'DELIVERED', lastStatusCode: 200 },
      });
    }

    const stats = await webhookStats(hub.id);
    expect(stats.get(busy.id)).toMatchObject({
      lastStatus: 'DELIVERED',
      lastStatusCode: 200,
      attempted24h: 4,
      delivered24h: 3,
      failed24h: 1,
      successRate24h: 0.75,
    });
    // Filtered events are not "sent": no last delivery, no rate.
    expect(stats.get(filtered.id)).toMatchObject({ lastStatus: null, attempted24h: 0, successRate24h: null });
    expect(stats.get(idle.id)).toMatchObject({ lastStatus: null, successRate24h: null });
    // Scoped to the hub.
    const other = await createHub('stats-other', 'Other');
    expect((await webhookStats(other.id)).size).toBe(0);
  });

  it('lists a hub’s events newest first with their deliveries, paged by sequenceId', async () => {
    const hub = await createHub('events-test', 'Events');
    const webhook = await createWebhook(hub.id, {
      label: 'listener',
      events: [EVENT],
      handlers: ['https://example.com/x'],
    });
    for (let i = 0; i < 3; i++) await emitEvent(hub.id, { name: EVENT, payload: { id: `e-${i}` } });
    await emitEvent(hub.id, { name: 'dynamic-content.edition.scheduled', payload: {} });

    const first = await listRecentEvents(hub.id, { limit: 3 });
    expect(first.items.map((event) => event.sequenceId)).toEqual([4, 3, 2]);
    expect(first.items[0]?.deliveries).toEqual([]);
    expect(first.items[1]?.deliveries).toEqual([
      expect.objectContaining({ webhookId: webhook.id, webhookLabel: 'listener', status: 'QUEUED' }),
    ]);
    expect(first.nextBefore).toBe(2);
    const second = await listRecentEvents(hub.id, { limit: 3, beforeSequenceId: first.nextBefore! });
    expect(second.items.map((event) => event.sequenceId)).toEqual([1]);
    expect(second.nextBefore).toBeNull();
  });
});
