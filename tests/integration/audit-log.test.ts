import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { redeliver } from '../../lib/activity-log/redeliver';
import { listAuditActors, listAuditEntries, listAuditWebhooks } from '../../lib/audit/read-audit';
import { recordAudit } from '../../lib/audit/record-audit';
import { pruneAuditLog } from '../../lib/audit/retention';
import type { AuditContext } from '../../lib/audit/types';
import { database, prisma } from '../../lib/db/client';
import { ValidationError } from '../../lib/errors';
import { emitEvent } from '../../lib/events/emit-event';
import { ensureDefaultHub, type Hub } from '../../lib/hubs/hubs';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { getWebhook } from '../../lib/webhooks/get-webhooks';
import { deleteWebhook, regenerateSecret, updateWebhook } from '../../lib/webhooks/update-webhook';

let hub: Hub;
const alice: AuditContext = {
  actor: { type: 'user', id: '00000000-0000-4000-8000-000000000001', label: 'alice@example.com' },
  sourceIp: '198.51.100.20',
};
const client: AuditContext = {
  actor: { type: 'api-client', id: 'herald-cms', label: 'CMS' },
  sourceIp: '203.0.113.5',
};

beforeAll(async () => {
  hub = await ensureDefaultHub();
});

const entriesFor = (targetId: string) => prisma().auditEntry.findMany({ where: { targetId }, orderBy: { id: 'asc' } });

const INPUT = {
  label: 'Orders',
  events: ['dynamic-content.content-item.updated'],
  handlers: ['http://127.0.0.1:9/orders'],
  headers: [
    { key: 'X-Token', value: 'first secret value', secret: true },
    { key: 'X-Env', value: 'prod', secret: false },
  ],
};

describe('webhook changes are recorded with actor, address and a field-level diff', () => {
  it('records create, update, enable/disable, regenerate and delete; secrets only as "changed"', async () => {
    const webhook = await createWebhook(hub.id, INPUT, client);
    const secretBefore = webhook.secret ?? '';
    await updateWebhook(hub.id, webhook.id, { label: 'Orders v2', method: 'PUT' }, alice);
    await updateWebhook(
      hub.id,
      webhook.id,
      {
        secret: 'my own replacement secret value',
        headers: [
          { key: 'X-Token', value: 'second secret value', secret: true },
          { key: 'X-Env', value: 'staging', secret: false },
        ],
      },
      alice,
    );
    await updateWebhook(hub.id, webhook.id, { active: false }, alice);
    await updateWebhook(hub.id, webhook.id, { active: true }, alice);
    await updateWebhook(hub.id, webhook.id, { label: 'Orders v2' }, alice); // no change: nothing recorded
    const regenerated = await regenerateSecret(hub.id, webhook.id, alice);
    await deleteWebhook(hub.id, webhook.id, client);

    const entries = await entriesFor(webhook.id);
    expect(entries.map((entry) => entry.action)).toEqual([
      'webhook.created',
      'webhook.updated',
      'webhook.updated',
      'webhook.disabled',
      'webhook.enabled',
      'webhook.secret-regenerated',
      'webhook.deleted',
    ]);
    const [created, renamed, secrets, disabled, , regen, deleted] = entries;
    expect(created).toMatchObject({
      hubId: hub.id,
      actorType: 'api-client',
      actorId: 'herald-cms',
      actorLabel: 'CMS',
      sourceIp: '203.0.113.5',
      targetType: 'webhook',
      targetLabel: 'Orders',
    });
    expect(created?.changes).toMatchObject({
      label: { from: null, to: 'Orders' },
      headers: { from: null, to: ['X-Token: ********', 'X-Env: prod'] },
    });
    expect(renamed).toMatchObject({ actorLabel: 'alice@example.com', sourceIp: '198.51.100.20' });
    expect(renamed?.changes).toEqual({
      label: { from: 'Orders', to: 'Orders v2' },
      method: { from: 'POST', to: 'PUT' },
    });
    expect(secrets?.changes).toEqual({
      secret: 'changed',
      'header X-Token': 'changed',
      headers: { from: ['X-Token: ********', 'X-Env: prod'], to: ['X-Token: ********', 'X-Env: staging'] },
    });
    expect(disabled?.changes).toEqual({ active: { from: true, to: false } });
    expect(regen?.changes).toEqual({ secret: 'changed' });
    expect(deleted).toMatchObject({ targetLabel: 'Orders v2', actorType: 'api-client', changes: null });

    const everything = JSON.stringify(entries);
    for (const secret of [
      secretBefore,
      regenerated.secret ?? '',
      'my own replacement secret value',
      'first secret value',
      'second secret value',
    ]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('keeps the secret header unchanged ("value: null") out of the diff', async () => {
    const webhook = await createWebhook(hub.id, INPUT, alice);
    await updateWebhook(
      hub.id,
      webhook.id,
      {
        headers: [
          { key: 'X-Token', value: null, secret: true },
          { key: 'X-Env', value: 'prod', secret: false },
        ],
      },
      alice,
    );
    expect((await entriesFor(webhook.id)).map((entry) => entry.action)).toEqual(['webhook.created']);
  });

  it('records no entry when the change fails, and no change when the entry cannot be written', async () => {
    const webhook = await createWebhook(hub.id, INPUT, alice);
    // Fails inside the transaction, after the old filters and headers were deleted: all rolled back.
    await expect(
      updateWebhook(
        hub.id,
        webhook.id,
        { label: 'Never', headers: [{ key: 'X-New', value: null, secret: true }] },
        alice,
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(deleteWebhook(hub.id, 'no-such-webhook', alice)).rejects.toThrow(/not found/);
    expect((await entriesFor(webhook.id)).map((entry) => entry.action)).toEqual(['webhook.created']);
    expect(await prisma().auditEntry.count({ where: { targetId: 'no-such-webhook' } })).toBe(0);
    expect(await getWebhook(hub.id, webhook.id)).toMatchObject({
      label: 'Orders',
      headers: [{ key: 'X-Token' }, { key: 'X-Env' }],
    });

    // The other way round: an audit row that cannot be written takes the change down with it.
    await expect(
      prisma().$transaction(async (tx) => {
        await tx.webhook.update({ where: { id: webhook.id }, data: { label: 'Unrecorded' } });
        await recordAudit(tx, {
          hubId: 'a-hub-id-far-longer-than-the-column-allows',
          ...alice,
          action: 'webhook.updated',
        });
      }),
    ).rejects.toThrow();
    expect(await getWebhook(hub.id, webhook.id)).toMatchObject({ label: 'Orders' });
  });

  it('writes through a raw pg client inside its transaction, and rolls back with it', async () => {
    const connection = new pg.Client({ connectionString: database().url });
    await connection.connect();
    try {
      await connection.query('BEGIN');
      const id = await recordAudit(connection, { hubId: hub.id, ...client, action: 'webhook.test-sent' });
      await connection.query('ROLLBACK');
      expect(await prisma().auditEntry.count({ where: { id } })).toBe(0);
      await connection.query('BEGIN');
      const kept = await recordAudit(connection, {
        hubId: hub.id,
        ...client,
        action: 'webhook.test-sent',
        changes: { clientSecret: { from: 'a', to: 'b' } },
      });
      await connection.query('COMMIT');
      expect(await prisma().auditEntry.findUniqueOrThrow({ where: { id: kept } })).toMatchObject({
        changes: { clientSecret: 'changed' },
      });
    } finally {
      await connection.end();
    }
  });
});

describe('reading and pruning the log', () => {
  it('pages newest first by cursor and filters by actor, webhook and action', async () => {
    const other = await createWebhook(hub.id, { ...INPUT, label: 'Paged' }, alice);
    for (let index = 0; index < 5; index++) {
      await updateWebhook(hub.id, other.id, { label: `Paged ${index}` }, index % 2 ? client : alice);
    }
    const first = await listAuditEntries({ hubId: hub.id, includeGlobal: false }, { webhook: other.id, limit: 4 });
    expect(first.items.map((entry) => entry.target?.label)).toEqual(['Paged 4', 'Paged 3', 'Paged 2', 'Paged 1']);
    expect(first.nextCursor).not.toBeNull();
    const second = await listAuditEntries(
      { hubId: hub.id, includeGlobal: false },
      { webhook: other.id, limit: 4, cursor: first.nextCursor ?? undefined },
    );
    expect(second.items.map((entry) => entry.target?.label)).toEqual(['Paged 0', 'Paged']);
    expect(second.nextCursor).toBeNull();

    const byClient = await listAuditEntries(
      { hubId: hub.id, includeGlobal: false },
      { webhook: other.id, actor: 'CMS' },
    );
    expect(byClient.items.map((entry) => entry.target?.label)).toEqual(['Paged 3', 'Paged 1']);
    const created = await listAuditEntries(
      { hubId: hub.id, includeGlobal: false },
      { action: 'webhook.created', webhook: other.id },
    );
    expect(created.items).toHaveLength(1);
    const anyWebhookAction = await listAuditEntries(
      { hubId: hub.id, includeGlobal: false },
      { action: 'webhook.', webhook: other.id },
    );
    expect(anyWebhookAction.items).toHaveLength(6);
  });

  it('lists the actors and webhooks the log names, deleted webhooks marked, for the page filters', async () => {
    const kept = await createWebhook(hub.id, { ...INPUT, label: 'Kept' }, alice);
    const gone = await createWebhook(hub.id, { ...INPUT, label: 'Gone' }, client);
    await deleteWebhook(hub.id, gone.id, client);
    const actors = await listAuditActors({ hubId: hub.id, includeGlobal: true });
    expect(actors.slice(0, 2)).toEqual([client.actor, alice.actor]);
    const webhooks = await listAuditWebhooks(hub.id);
    expect(webhooks).toContainEqual({ id: kept.id, label: 'Kept', exists: true });
    expect(webhooks).toContainEqual({ id: gone.id, label: 'Gone', exists: false });
  });

  it('names a webhook by its label: a redelivery records it, and an entry that recorded none takes the webhook’s', async () => {
    const webhook = await createWebhook(
      hub.id,
      {
        ...INPUT,
        label: 'Labelled',
        filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.id' }, { value: 'never' }] }],
      },
      alice,
    );
    const event = await emitEvent(hub.id, { name: 'dynamic-content.content-item.updated', payload: { id: 'x' } });
    const delivery = event.deliveries.find((candidate) => candidate.webhookId === webhook.id);
    await redeliver(hub.id, webhook.id, delivery?.id as string, alice);
    const [redelivered] = await prisma().auditEntry.findMany({
      where: { targetId: webhook.id, action: 'delivery.redelivered' },
    });
    expect(redelivered?.targetLabel).toBe('Labelled');
    // An entry written before entries named their webhook, newest of all: the filter still says the label.
    await recordAudit(prisma(), {
      hubId: hub.id,
      ...alice,
      action: 'delivery.redelivered',
      target: { type: 'webhook', id: webhook.id },
    });
    expect(await listAuditWebhooks(hub.id)).toContainEqual({ id: webhook.id, label: 'Labelled', exists: true });
  });

  it('shows entries of no hub (users, sign-ins) only where asked', async () => {
    await recordAudit(prisma(), { hubId: null, ...alice, action: 'user.signed-in' });
    const hubOnly = await listAuditEntries({ hubId: hub.id, includeGlobal: false }, { action: 'user.signed-in' });
    const withGlobal = await listAuditEntries({ hubId: hub.id, includeGlobal: true }, { action: 'user.signed-in' });
    expect(hubOnly.items).toHaveLength(0);
    expect(withGlobal.items).toHaveLength(1);
  });

  it('prunes entries older than the retention', async () => {
    const old = await recordAudit(prisma(), { hubId: hub.id, ...alice, action: 'webhook.updated' });
    await prisma().auditEntry.update({
      where: { id: old },
      data: { createdDate: new Date(Date.now() - 400 * 86_400_000) },
    });
    const recent = await recordAudit(prisma(), { hubId: hub.id, ...alice, action: 'webhook.updated' });
    expect(await pruneAuditLog(database().pool, 365 * 86_400_000)).toBe(1);
    expect(await prisma().auditEntry.count({ where: { id: { in: [old, recent] } } })).toBe(1);
  });
});
