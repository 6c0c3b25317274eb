import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiClientAction, revokeApiClientAction } from '../../../lib/actions/api-client-actions';
import { emitEventAction } from '../../../lib/actions/event-actions';
import { recoverFailedAction } from '../../../lib/actions/recover-actions';
import { changeUserRoleAction, inviteUserAction } from '../../../lib/actions/user-actions';
import {
  createWebhookAction,
  deleteWebhookAction,
  regenerateSecretAction,
  sendTestEventAction,
  setWebhookActiveAction,
  updateWebhookAction,
} from '../../../lib/actions/webhook-actions';
import { can, PERMISSIONS, ROLES, type Role } from '../../../lib/auth/roles';
import { prisma } from '../../../lib/db/client';
import { ensureDefaultHub, type Hub } from '../../../lib/hubs/hubs';
import { createWebhook } from '../../../lib/webhooks/create-webhook';
import { getWebhook } from '../../../lib/webhooks/get-webhooks';
import { webhookForRole } from '../../../lib/webhooks/redact';
import { actAs, cookieStore, headerList, type TestUser, userWithRole } from '../../support/action-request';

vi.mock('next/headers', () => ({ cookies: async () => cookieStore(), headers: async () => headerList() }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

const users = {} as Record<Role, TestUser>;
let hub: Hub;

beforeAll(async () => {
  hub = await ensureDefaultHub();
  for (const role of ROLES) users[role] = await userWithRole(role, `${role.toLowerCase()}@example.com`);
});

async function newWebhook(label = 'Role test') {
  return createWebhook(hub.id, {
    label,
    events: ['dynamic-content.content-item.updated'],
    handlers: ['http://127.0.0.1:9/hook'],
  });
}

const auditCount = () => prisma().auditEntry.count();

describe('the permission table', () => {
  it('gives Owner everything, Admin all but users, Editor webhooks and deliveries, Viewer reading only', () => {
    expect(PERMISSIONS.every((permission) => can('Owner', permission))).toBe(true);
    expect(PERMISSIONS.filter((permission) => !can('Admin', permission))).toEqual(['users:manage']);
    expect(PERMISSIONS.filter((permission) => can('Editor', permission))).toEqual([
      'read',
      'secrets:read',
      'webhooks:write',
      'events:send',
      'deliveries:redeliver',
    ]);
    expect(PERMISSIONS.filter((permission) => can('Viewer', permission))).toEqual(['read']);
  });
});

describe('server actions, called directly as each role', () => {
  // Each representative action with the roles that may run it.
  const cases: { name: string; allowed: Role[]; run: (webhookId: string) => Promise<{ ok: boolean }> }[] = [
    {
      name: 'createWebhookAction',
      allowed: ['Owner', 'Admin', 'Editor'],
      run: () =>
        createWebhookAction({
          hubId: hub.id,
          input: {
            label: 'made by action',
            events: ['dynamic-content.content-item.updated'],
            handlers: ['http://127.0.0.1:9/x'],
          },
        }),
    },
    {
      name: 'updateWebhookAction',
      allowed: ['Owner', 'Admin', 'Editor'],
      run: (id) => updateWebhookAction({ hubId: hub.id, id, patch: { label: `renamed ${Math.random()}` } }),
    },
    {
      name: 'setWebhookActiveAction',
      allowed: ['Owner', 'Admin', 'Editor'],
      run: (id) => setWebhookActiveAction({ hubId: hub.id, id, active: false }),
    },
    {
      name: 'regenerateSecretAction',
      allowed: ['Owner', 'Admin', 'Editor'],
      run: (id) => regenerateSecretAction({ hubId: hub.id, id }),
    },
    {
      name: 'sendTestEventAction',
      allowed: ['Owner', 'Admin', 'Editor'],
      run: (id) =>
        sendTestEventAction({
          hubId: hub.id,
          webhookId: id,
          name: 'dynamic-content.content-item.updated',
          payload: { id: 'x' },
        }),
    },
    {
      name: 'emitEventAction',
      allowed: ['Owner', 'Admin', 'Editor'],
      run: () =>
        emitEventAction({ hubId: hub.id, name: 'dynamic-content.content-item.updated', payload: '{"id":"y"}' }),
    },
    {
      name: 'recoverFailedAction',
      allowed: ['Owner', 'Admin', 'Editor'],
      run: (id) =>
        recoverFailedAction({ hubId: hub.id, webhookId: id, since: new Date(Date.now() - 3_600_000).toISOString() }),
    },
    {
      name: 'deleteWebhookAction',
      allowed: ['Owner', 'Admin', 'Editor'],
      run: (id) => deleteWebhookAction({ hubId: hub.id, id }),
    },
    {
      name: 'createApiClientAction',
      allowed: ['Owner', 'Admin'],
      run: () => createApiClientAction({ name: 'role test client' }),
    },
    {
      name: 'inviteUserAction',
      allowed: ['Owner'],
      run: () => inviteUserAction({ email: `invitee-${Math.random()}@example.com`, role: 'Viewer' }),
    },
  ];

  for (const { name, allowed, run } of cases) {
    for (const role of ROLES) {
      const may = allowed.includes(role);
      it(`${name} as ${role}: ${may ? 'runs' : 'refused, nothing changes, nothing recorded'}`, async () => {
        const webhook = await newWebhook(`${name} ${role}`);
        const before = await auditCount();
        actAs(users[role]);
        const result = await run(webhook.id);
        if (may) {
          expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
          return;
        }
        expect(result).toMatchObject({ ok: false, message: expect.stringContaining(`Your role (${role})`) });
        expect(await auditCount()).toBe(before);
        expect(await getWebhook(hub.id, webhook.id)).toMatchObject({ label: webhook.label, active: true });
      });
    }
  }

  it('refuses a Viewer before even reading the input: a forged call with junk is refused the same way', async () => {
    actAs(users.Viewer);
    expect(await updateWebhookAction({ hubId: 'nope', id: '', patch: {} })).toMatchObject({
      ok: false,
      message: 'Your role (Viewer) does not allow this (webhooks:write)',
    });
  });

  it('sends a signed-out caller to the sign-in page instead of running the action', async () => {
    actAs(null);
    await expect(revokeApiClientAction({ id: 'whatever' })).rejects.toThrow(/NEXT_REDIRECT/);
  });

  it('lets only an Owner change roles', async () => {
    const target = await userWithRole('Viewer', 'promote-me@example.com');
    actAs(users.Admin);
    expect(await changeUserRoleAction({ userId: target.id, role: 'Admin' })).toMatchObject({ ok: false });
    actAs(users.Owner);
    expect(await changeUserRoleAction({ userId: target.id, role: 'Editor' })).toMatchObject({ ok: true });
    expect(await prisma().user.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ role: 'Editor' });
  });
});

describe('what a Viewer is given', () => {
  it('never holds the webhook secret or a secret header value', async () => {
    const webhook = await createWebhook(hub.id, {
      label: 'With secrets',
      events: ['dynamic-content.content-item.updated'],
      handlers: ['http://127.0.0.1:9/hook'],
      headers: [
        { key: 'X-Api-Key', value: 'top secret header', secret: true },
        { key: 'X-Plain', value: 'plain', secret: false },
      ],
    });
    const stored = await getWebhook(hub.id, webhook.id);
    expect(stored.secret).toHaveLength(128);
    const seen = webhookForRole(stored, 'Viewer');
    expect(seen.secret).toBeNull();
    expect(JSON.stringify(seen)).not.toContain(stored.secret ?? '-');
    expect(JSON.stringify(seen)).not.toContain('top secret header');
    expect(seen.headers).toEqual([
      { key: 'X-Api-Key', value: null, secret: true },
      { key: 'X-Plain', value: 'plain', secret: false },
    ]);
    expect(webhookForRole(stored, 'Editor').secret).toBe(stored.secret);
  });
});
