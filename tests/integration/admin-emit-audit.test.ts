import { beforeAll, describe, expect, it, vi } from 'vitest';
import { emitEventAction } from '../../lib/actions/event-actions';
import { actionLabel } from '../../lib/audit/actions';
import { listAuditEntries } from '../../lib/audit/read-audit';
import { prisma } from '../../lib/db/client';
import { ensureDefaultHub, type Hub } from '../../lib/hubs/hubs';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { actAs, cookieStore, headerList, requestState, userWithRole } from '../support/action-request';

vi.mock('next/headers', () => ({ cookies: async () => cookieStore(), headers: async () => headerList() }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

const EVENT = 'dynamic-content.content-item.updated';
let hub: Hub;

beforeAll(async () => {
  hub = await ensureDefaultHub();
  const handlers = ['http://127.0.0.1:9/hook'];
  await createWebhook(hub.id, { label: 'Gets it', events: [EVENT], handlers });
  await createWebhook(hub.id, {
    label: 'Filtered out',
    events: [EVENT],
    handlers,
    filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.id' }, { value: 'another item' }] }],
  });
});

describe('an event emitted from the admin’s Events page', () => {
  it('is audited as event.emitted with actor, hub, event id, sequenceId and its deliveries', async () => {
    const editor = await userWithRole('Editor', 'emitter@example.com');
    actAs(editor);
    requestState.address = '203.0.113.44';
    const result = await emitEventAction({ hubId: hub.id, name: EVENT, payload: '{"id":"item-1"}' });
    expect(result).toMatchObject({ ok: true, data: { queued: 1, filtered: 1 } });
    if (!result.ok) return;

    const event = await prisma().event.findFirstOrThrow({ where: { hubId: hub.id }, orderBy: { sequenceId: 'desc' } });
    expect(Number(event.sequenceId)).toBe(result.data.sequenceId);
    const entries = await prisma().auditEntry.findMany({ where: { action: 'event.emitted' } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      hubId: hub.id,
      actorType: 'user',
      actorId: editor.id,
      actorLabel: 'emitter@example.com',
      sourceIp: '203.0.113.44',
      targetType: 'event',
      targetId: event.id,
      targetLabel: `${EVENT} #${result.data.sequenceId}`,
      changes: {
        name: { from: null, to: EVENT },
        sequenceId: { from: null, to: result.data.sequenceId },
        deliveries: { from: null, to: 2 },
        queued: { from: null, to: 1 },
        filtered: { from: null, to: 1 },
      },
    });

    // The Audit log page filters by the action and names it.
    const page = await listAuditEntries({ hubId: hub.id, includeGlobal: true }, { action: 'event.emitted' });
    expect(page.items.map((item) => item.target?.id)).toEqual([event.id]);
    expect(actionLabel('event.emitted')).toBe('Event emitted');
  });

  it('records nothing when the emit is refused', async () => {
    actAs(await userWithRole('Editor', 'refused-emitter@example.com'));
    const before = await prisma().auditEntry.count({ where: { action: 'event.emitted' } });
    const result = await emitEventAction({ hubId: hub.id, name: 'no.such.event', payload: '{}' });
    expect(result).toMatchObject({ ok: false });
    expect(await prisma().auditEntry.count({ where: { action: 'event.emitted' } })).toBe(before);
  });
});
