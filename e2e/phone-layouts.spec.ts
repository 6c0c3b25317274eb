import type { Locator, Page } from '@playwright/test';
import { createE2eApiClient, createE2eUser } from './admin-session';
import { expect, SNAPSHOT_PUBLISHED, sampleSnapshotPayload, test } from './fixtures';
import { snap } from './support';

/**
 * At 390 px (a phone) the tables become stacked rows, a row's action is on screen and usable, and
 * no page scrolls sideways. Every page is also photographed at 1280 px for a look at both widths.
 */

const PHONE = { width: 390, height: 844 };

// A long value without spaces (a template) in the audit log's changes, the kind that pushed pages wide.
test.use({
  webhookInput: {
    customPayload: {
      type: 'text/x-handlebars-template',
      value: `{"id":"{{payload.id}}","seq":"{{sequenceId}}","long":"${'x'.repeat(200)}"}`,
    },
  },
});

async function expectNoSidewaysScroll(page: Page, name: string): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${name} is ${width} px wide`).toBeLessThanOrEqual(PHONE.width);
}

/** On screen horizontally: not cut off at the right edge, not scrolled away. */
async function expectOnScreen(locator: Locator): Promise<void> {
  await expect(locator).toBeVisible();
  const box = await locator.boundingBox();
  expect(box).not.toBeNull();
  expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= PHONE.width).toBe(true);
}

test('on a phone the tables stack, their actions are on screen, and no page scrolls sideways', async ({
  page,
  herald,
  webhook,
  receiver,
}) => {
  // Eight pages, each photographed at two widths: more than the default budget on a busy machine.
  test.setTimeout(300_000);
  await herald.emitEvent(SNAPSHOT_PUBLISHED, sampleSnapshotPayload());
  await receiver.waitForRequests(1);
  const colleague = await createE2eUser('Viewer', 'a long enough password');
  const clientName = `Phone check ${Date.now()}`;
  await createE2eApiClient(clientName);
  const hub = (rest: string) => `/hubs/${herald.hubId}${rest}`;
  const pages: { name: string; path: string; ready: (page: Page) => Locator }[] = [
    { name: 'webhooks', path: hub('/webhooks'), ready: (p) => p.getByRole('heading', { name: 'Webhooks', level: 1 }) },
    { name: 'overview', path: hub('/overview'), ready: (p) => p.getByRole('heading', { name: 'Overview' }) },
    {
      name: 'activity-log',
      path: hub(`/webhooks/${webhook.id}/activity`),
      ready: (p) => p.getByTestId('delivery-row').first(),
    },
    {
      name: 'editor',
      path: hub(`/webhooks/${webhook.id}`),
      ready: (p) => p.getByRole('button', { name: 'Save changes' }),
    },
    { name: 'events', path: hub('/events'), ready: (p) => p.getByRole('heading', { name: 'Events', level: 1 }) },
    { name: 'api-clients', path: hub('/settings'), ready: (p) => p.getByRole('heading', { name: 'API clients' }) },
    { name: 'audit-log', path: hub('/audit-log'), ready: (p) => p.getByTestId('audit-entry').first() },
    { name: 'users', path: '/users', ready: (p) => p.getByTestId(`user-${colleague.email}`) },
  ];

  for (const { name, path, ready } of pages) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(path);
    await expect(ready(page)).toBeVisible();
    await snap(page, `${name}-1280`);
    await page.setViewportSize(PHONE);
    await page.reload();
    await expect(ready(page)).toBeVisible();
    await expectNoSidewaysScroll(page, name);
    await snap(page, `${name}-390`);
  }

  // The row's action in each table, on screen at 390 px.
  await page.goto(hub(`/webhooks/${webhook.id}/activity`));
  const details = page.getByTestId('delivery-row').first().getByRole('link', { name: 'View details' });
  await expectOnScreen(details);
  await details.click();
  await expect(page.getByTestId('delivery-status')).toBeVisible();
  await expectNoSidewaysScroll(page, 'delivery details');
  // Header names sit above their values on a phone: a value gets the full width, not a sliver.
  const headerValue = page.locator('table[aria-label$="headers"] td').first();
  expect((await headerValue.boundingBox())?.width ?? 0).toBeGreaterThan(250);
  await snap(page, 'delivery-details-390');

  await page.goto('/users');
  const row = page.getByTestId(`user-${colleague.email}`);
  await expectOnScreen(row.getByRole('button', { name: `Remove ${colleague.email}` }));
  const role = row.getByLabel(`Role of ${colleague.email}`);
  await expectOnScreen(role);
  await role.selectOption('Editor');
  await expect(page.getByTestId('toast').filter({ hasText: `${colleague.email} is now Editor` })).toBeVisible();

  await page.goto(hub('/settings'));
  await expectOnScreen(page.getByRole('button', { name: `Revoke ${clientName}` }));

  await page.goto(hub('/audit-log'));
  await expectOnScreen(page.getByTestId('audit-entry').first().getByTestId('audit-action'));
});
