import path from 'node:path';
import type { APIRequestContext, Page } from '@playwright/test';
import { z } from 'zod';
import { createE2eApiClient } from './admin-session';
import { expect, SNAPSHOT_PUBLISHED, test } from './fixtures';
import { snap } from './support';

/**
 * Every hub in the UI and least-privilege API clients: a hub made in the header's switcher has its
 * own webhooks, its id is in every address (so a reload or a shared link shows the same hub), the
 * hub-less addresses lead to the hub last opened, and an ingestion-only client can emit but not
 * manage webhooks.
 */

const ZToken = z.object({ access_token: z.string(), scope: z.string() });

async function tokenFor(request: APIRequestContext, client: { id: string; secret: string }) {
  const response = await request.post('/oauth/token', {
    form: { grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret },
  });
  expect(response.status()).toBe(200);
  return ZToken.parse(await response.json());
}

const hubUrl = (hubId: string, path: string) => new RegExp(`/hubs/${hubId}${path.replace(/[?]/g, '\\?')}$`);

/** The switcher's menu, opened. */
async function openSwitcher(page: Page) {
  await page.getByRole('button', { name: /^Hub: / }).click();
  const menu = page.getByRole('menu', { name: 'Hubs' });
  await expect(menu).toBeVisible();
  return menu;
}

test('an events:write client can emit but gets 403 creating a webhook', async ({ request, herald }) => {
  const client = await createE2eApiClient('e2e ingestion only', { scopes: ['events:write'] });
  const { access_token: token, scope } = await tokenFor(request, client);
  expect(scope).toBe('events:write');
  const headers = { authorization: `Bearer ${token}` };

  const emitted = await request.post(`/v2/content/hubs/${herald.hubId}/events`, {
    headers,
    data: { name: SNAPSHOT_PUBLISHED, payload: { id: 'e2e-scopes' } },
  });
  expect(emitted.status()).toBe(202);

  const created = await request.post(`/v2/content/hubs/${herald.hubId}/webhooks`, {
    headers,
    data: { label: 'Not allowed', events: [SNAPSHOT_PUBLISHED], handlers: ['https://example.com/hook'] },
  });
  expect(created.status()).toBe(403);
  expect(await created.json()).toEqual({
    errors: [{ level: 'ERROR', code: 'INSUFFICIENT_SCOPE', message: 'this token lacks the scope webhooks:write' }],
  });
});

test('a second hub: created in the switcher, its own webhooks, in the URL, kept on reload', async ({
  page,
  request,
  herald,
  webhook,
}) => {
  const defaultHub = herald.hubId;
  const label = `Marketing ${Date.now()}`;
  const client = await createE2eApiClient('e2e hubs');
  const headers = { authorization: `Bearer ${(await tokenFor(request, client)).access_token}` };
  let otherHub = '';
  let otherWebhook = '';
  try {
    // The old address leads to the remembered hub: the default one so far.
    await page.goto('/webhooks');
    await expect(page).toHaveURL(hubUrl(defaultHub, '/webhooks'));
    await expect(page.getByTestId('current-hub')).toHaveText('Default hub');
    await expect(page.getByRole('link', { name: webhook.label }).first()).toBeVisible();
    await page
      .locator('header')
      .screenshot({ path: path.join(import.meta.dirname, 'screenshots/header-hub-switcher.png') });

    const menu = await openSwitcher(page);
    await expect(menu.getByRole('menuitemradio', { name: /Default hub/ })).toHaveAttribute('aria-checked', 'true');
    await snap(page, 'header-hub-switcher-open', { fullPage: false });
    await menu.getByRole('menuitem', { name: 'New hub…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New hub' });
    await dialog.getByLabel('Label').fill(label);
    await expect(dialog.getByLabel('Name')).toHaveAttribute('placeholder', `marketing-${label.split(' ')[1]}`);
    await dialog.getByRole('button', { name: 'Create hub' }).click();

    await page.waitForURL(
      (url) => /^\/hubs\/[0-9a-f]{24}\/webhooks$/.test(url.pathname) && !url.pathname.includes(defaultHub),
    );
    otherHub = /\/hubs\/([0-9a-f]{24})\//.exec(page.url())?.[1] ?? '';
    await expect(page.getByTestId('current-hub')).toHaveText(label);
    await expect(page.getByRole('heading', { name: 'No webhooks yet' })).toBeVisible();
    await expect(page.getByRole('link', { name: webhook.label })).toHaveCount(0);

    // A webhook of the new hub, made through the API: the list is this hub's, after a reload too.
    const created = await request.post(`/v2/content/hubs/${otherHub}/webhooks`, {
      headers,
      data: { label: 'Marketing feed', events: [SNAPSHOT_PUBLISHED], handlers: ['https://example.com/marketing'] },
    });
    expect(created.status()).toBe(201);
    otherWebhook = z.object({ id: z.string() }).parse(await created.json()).id;
    await page.reload();
    await expect(page).toHaveURL(hubUrl(otherHub, '/webhooks'));
    await expect(page.getByTestId('current-hub')).toHaveText(label);
    await expect(page.getByRole('link', { name: 'Marketing feed' }).first()).toBeVisible();
    await expect(page.getByRole('link', { name: webhook.label })).toHaveCount(0);

    // Links inside the hub carry it; the main navigation too.
    await page.getByRole('link', { name: 'Marketing feed' }).first().click();
    await expect(page).toHaveURL(hubUrl(otherHub, `/webhooks/${otherWebhook}`));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    await expect(page).toHaveURL(hubUrl(otherHub, '/events'));

    // Hub-less addresses now lead to this hub, except a webhook's, which leads to the webhook's own hub.
    await page.goto('/overview');
    await expect(page).toHaveURL(hubUrl(otherHub, '/overview'));
    await page.goto(`/webhooks/${webhook.id}/activity?status=DELIVERED`);
    await expect(page).toHaveURL(hubUrl(defaultHub, `/webhooks/${webhook.id}/activity?status=DELIVERED`));
    await page.goto('/webhooks');
    await expect(page).toHaveURL(hubUrl(defaultHub, '/webhooks'));

    // Rename, then switch back and forth from the menu: the section stays, the hub changes.
    await page.goto(`/hubs/${otherHub}/events`);
    await (await openSwitcher(page)).getByRole('menuitem', { name: `Rename ${label}…` }).click();
    const rename = page.getByRole('dialog', { name: `Rename ${label}` });
    await rename.getByLabel('Label').fill(`${label} (EU)`);
    await rename.getByRole('button', { name: 'Rename' }).click();
    await expect(page.getByTestId('current-hub')).toHaveText(`${label} (EU)`);
    const both = await openSwitcher(page);
    await expect(both.getByRole('menuitemradio', { name: new RegExp(label) })).toHaveAttribute('aria-checked', 'true');
    await snap(page, 'header-hub-switcher-two-hubs', { fullPage: false });
    await both.getByRole('menuitemradio', { name: /Default hub/ }).click();
    await expect(page).toHaveURL(hubUrl(defaultHub, '/events'));
    await expect(page.getByTestId('current-hub')).toHaveText('Default hub');
  } finally {
    if (otherWebhook) await request.delete(`/v2/content/hubs/${otherHub}/webhooks/${otherWebhook}`, { headers });
    // Leave the admin in the default hub, where the other specs' old addresses expect them.
    await page.goto(`/hubs/${defaultHub}/webhooks`);
  }
});

test('API clients: scopes and hubs chosen on creation', async ({ page, herald }) => {
  await page.goto(`/hubs/${herald.hubId}/settings`);
  await expect(page.getByRole('button', { name: 'Create client' })).toBeEnabled();
  const name = `CMS ingestion ${Date.now()}`;
  await page.getByLabel('Name', { exact: true }).fill(name);
  for (const scope of ['webhooks:read', 'webhooks:write', 'content:read']) await page.getByLabel(scope).uncheck();
  await page.getByLabel('Only these hubs').check();
  await expect(page.getByRole('list', { name: 'Hubs the client may reach' }).getByLabel(/Default hub/)).toBeChecked();
  await page.getByRole('button', { name: 'Create client' }).click();
  await expect(page.getByTestId('client-scopes')).toHaveText('events:write');
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('events:write');
  await expect(row).not.toContainText('webhooks:read');
  await expect(row).toContainText('Default hub');
  await snap(page, 'api-clients-scopes-1280');
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await expect(row).toContainText('Revoked');
});
