import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiClientAction } from '../../lib/actions/api-client-actions';
import { createHubAction, renameHubAction } from '../../lib/actions/hub-actions';
import { deleteWebhookAction, updateWebhookAction } from '../../lib/actions/webhook-actions';
import { listApiClients } from '../../lib/auth/api-clients';
import { prisma } from '../../lib/db/client';
import { hubNameFromLabel } from '../../lib/hubs/hub-names';
import { hubOfWebhook, preferredHub, rememberHub } from '../../lib/hubs/hub-preference';
import { createHub, ensureDefaultHub, getHub, type Hub, renameHub } from '../../lib/hubs/hubs';
import { createWebhook } from '../../lib/webhooks/create-webhook';
import { getWebhook } from '../../lib/webhooks/get-webhooks';
import { actAs, cookieStore, headerList, type TestUser, userWithRole } from '../support/action-request';

vi.mock('next/headers', () => ({ cookies: async () => cookieStore(), headers: async () => headerList() }));
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

/**
 * Every hub in the admin: hubs are created and renamed by Owners and Admins, each user's last hub
 * is remembered, and every hub-scoped action takes its hub from its input and checks it: an
 * unknown hub is refused, and a webhook is only reachable through its own hub.
 */

let owner: TestUser;
let admin: TestUser;
let editor: TestUser;
let main: Hub;

beforeAll(async () => {
  main = await ensureDefaultHub();
  owner = await userWithRole('Owner', 'owner@example.com');
  admin = await userWithRole('Admin', 'admin@example.com');
  editor = await userWithRole('Editor', 'editor@example.com');
});

const newWebhook = (hubId: string, label: string) =>
  createWebhook(hubId, { label, events: ['dynamic-content.content-item.updated'], handlers: ['http://127.0.0.1:9/h'] });

describe('hubs', () => {
  it('are created with a free name, and the audit log records it', async () => {
    const hub = await createHub('marketing', 'Marketing site');
    expect(hub).toMatchObject({
      name: 'marketing',
      label: 'Marketing site',
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
    });
    await expect(createHub('marketing', 'Again')).rejects.toMatchObject({
      fieldErrors: [{ field: 'name', message: 'a hub named "marketing" exists already' }],
    });
    await expect(createHub('has space', 'x')).rejects.toMatchObject({ fieldErrors: [{ field: 'name' }] });
    const entry = await prisma().auditEntry.findFirstOrThrow({ where: { action: 'hub.created', targetId: hub.id } });
    expect(entry).toMatchObject({ hubId: hub.id, actorType: 'system' });
  });

  it('are renamed by their label; the name API clients may use stays', async () => {
    const hub = await createHub('rename-me', 'Before');
    const renamed = await renameHub(hub.id, '  After  ');
    expect(renamed).toMatchObject({ id: hub.id, name: 'rename-me', label: 'After' });
    const entry = await prisma().auditEntry.findFirstOrThrow({ where: { action: 'hub.renamed', targetId: hub.id } });
    expect(entry.changes).toEqual({ label: { from: 'Before', to: 'After' } });
    await expect(renameHub(hub.id, ' ')).rejects.toMatchObject({ fieldErrors: [{ field: 'label' }] });
  });

  it('get a name from their label when none is chosen', () => {
    expect(hubNameFromLabel('Marketing Site (EU)')).toBe('marketing-site-eu');
    expect(hubNameFromLabel('Café')).toBe('cafe');
    expect(hubNameFromLabel('***')).toBe('hub');
  });
});

describe('the remembered hub', () => {
  it('is the default hub until the user opens another, then that one', async () => {
    const hub = await createHub('remembered', 'Remembered');
    expect((await preferredHub(editor.id)).id).toBe(main.id);
    await rememberHub(editor.id, hub.id);
    expect((await preferredHub(editor.id)).id).toBe(hub.id);
    // Remembered per user.
    expect((await preferredHub(admin.id)).id).toBe(main.id);
  });

  it('finds the hub a webhook belongs to, for old links that name only the webhook', async () => {
    const hub = await createHub('owner-of-webhook', 'Owner of webhook');
    const webhook = await newWebhook(hub.id, 'Lives in another hub');
    expect(await hubOfWebhook(webhook.id)).toBe(hub.id);
    expect(await hubOfWebhook('000000000000000000000000')).toBeNull();
  });
});

describe('hub actions', () => {
  it('let Owners and Admins create and rename hubs, not Editors', async () => {
    actAs(owner);
    const created = await createHubAction({ label: 'From the UI', name: '' });
    if (!created.ok) throw new Error(created.message);
    expect(await getHub(created.data.id)).toMatchObject({ name: 'from-the-ui', label: 'From the UI' });

    actAs(admin);
    expect(await renameHubAction({ hubId: created.data.id, label: 'Renamed by an Admin' })).toMatchObject({ ok: true });
    expect((await getHub(created.data.id)).label).toBe('Renamed by an Admin');
    const audit = await prisma().auditEntry.findFirstOrThrow({
      where: { action: 'hub.renamed', targetId: created.data.id },
    });
    expect(audit).toMatchObject({ actorType: 'user', actorId: admin.id });

    actAs(editor);
    expect(await createHubAction({ label: 'Not allowed' })).toMatchObject({
      ok: false,
      message: 'Your role (Editor) does not allow this (hubs:manage)',
    });
    expect(await renameHubAction({ hubId: created.data.id, label: 'Nope' })).toMatchObject({ ok: false });
    expect((await getHub(created.data.id)).label).toBe('Renamed by an Admin');
  });

  it('answer a taken name with a field error', async () => {
    actAs(owner);
    expect(await createHubAction({ label: 'Default again', name: 'default' })).toMatchObject({
      ok: false,
      fieldErrors: [{ field: 'name', message: 'a hub named "default" exists already' }],
    });
  });
});

describe('hub-scoped actions', () => {
  it('refuse an input without a hub, or with a hub that does not exist', async () => {
    actAs(editor);
    const webhook = await newWebhook(main.id, 'Scoped');
    // A forged call that leaves the hub out.
    const missing = await Reflect.apply(updateWebhookAction, undefined, [{ id: webhook.id, patch: { label: 'x' } }]);
    expect(missing).toMatchObject({ ok: false, fieldErrors: [{ field: 'hubId', message: 'hubId is required' }] });
    expect(
      await updateWebhookAction({ hubId: '000000000000000000000000', id: webhook.id, patch: { label: 'x' } }),
    ).toEqual({
      ok: false,
      message: 'This hub does not exist. It may have been deleted.',
      fieldErrors: [],
    });
    expect((await getWebhook(main.id, webhook.id)).label).toBe('Scoped');
  });

  it('reach a webhook only through its own hub', async () => {
    actAs(editor);
    const other = await createHub('elsewhere', 'Elsewhere');
    const webhook = await newWebhook(other.id, 'In another hub');
    expect(await deleteWebhookAction({ hubId: main.id, id: webhook.id })).toMatchObject({
      ok: false,
      message: `Webhook ${webhook.id} not found`,
    });
    expect(await updateWebhookAction({ hubId: other.id, id: webhook.id, patch: { label: 'Renamed' } })).toMatchObject({
      ok: true,
    });
    expect((await getWebhook(other.id, webhook.id)).label).toBe('Renamed');
  });
});

describe('the API client action', () => {
  it('creates a client with the chosen scopes and hubs, recorded in the audit log', async () => {
    actAs(admin);
    const other = await createHub('client-hub', 'Client hub');
    const result = await createApiClientAction({ name: 'Ingest only', scopes: ['events:write'], hubIds: [other.id] });
    if (!result.ok) throw new Error(result.message);
    expect(result.data.scopes).toEqual(['events:write']);
    const client = (await listApiClients()).find((entry) => entry.id === result.data.id);
    expect(client).toMatchObject({ scopes: ['events:write'], hubIds: [other.id] });
    const audit = await prisma().auditEntry.findFirstOrThrow({
      where: { action: 'api-client.created', targetId: result.data.id },
    });
    expect(audit).toMatchObject({ actorId: admin.id, changes: { scopes: { from: null, to: ['events:write'] } } });
    expect(await createApiClientAction({ name: 'No scopes', scopes: [] })).toMatchObject({
      ok: false,
      fieldErrors: [{ field: 'scopes' }],
    });
  });
});
