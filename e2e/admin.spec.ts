import type { Page } from '@playwright/test';
import { Receiver } from '../tests/support/receiver';
import { expect, test } from './fixtures';
import { snap } from './support';

/**
 * The admin journey on one webhook: create it (filter, secret header, basic auth, custom payload),
 * send test events (delivered and filtered), read the activity log, redeliver, edit, delete. The
 * journey's steps build on each other, so they run in order; the page checks around it stand alone.
 * Other specs' webhooks come and go in the same hub: the journey only counts what is its own.
 */

const SCHEMA = 'https://doc-example.com/root-node.json';
const ITEM_ID = '60cc865a52faff0001987e70';
const TEMPLATE =
  '{"id": "{{payload.id}}", "label": {{{JSONstringify payload.rootContentItem.label}}}, "event": "{{name}}"}';

test('validation errors appear next to the fields', async ({ page }) => {
  await page.goto('/webhooks');
  await page.getByRole('link', { name: 'Create webhook' }).first().click();
  await expect(page.getByRole('heading', { name: 'Create webhook', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Create webhook' }).click();
  await expect(page.getByText('Some fields need attention')).toBeVisible();
  await expect(page.locator('#label-error')).toHaveText('label is required');
  await expect(page.getByLabel('Label', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#triggers')).toContainText('choose at least one event');
});

test('API clients: create shows the secret once, revoke', async ({ page }) => {
  await page.goto('/settings');
  await expect(page.getByRole('button', { name: 'Create client' })).toBeEnabled();
  await page.getByLabel('Name', { exact: true }).fill('CMS production');
  await page.getByRole('button', { name: 'Create client' }).click();
  await expect(page.getByTestId('client-secret')).toHaveText(/^[A-Za-z0-9]{48}$/);
  const row = page.getByRole('row', { name: /CMS production/ });
  await expect(row).toContainText('Never');
  await snap(page, 'api-clients-1280');
  await row.getByRole('button', { name: 'Revoke CMS production' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
  await expect(row).toContainText('Revoked');
  await page.reload();
  await expect(page.getByTestId('client-secret')).toHaveCount(0);
});

test.describe('journey on one webhook', () => {
  test.describe.configure({ mode: 'serial' });

  let receiver: Receiver;
  let webhookUrl = '';
  let deliveredUrl = '';

  test.beforeAll(async () => {
    receiver = await new Receiver(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true}',
    })).start();
  });

  test.afterAll(async () => {
    await receiver?.close();
  });

  async function sendTestEvent(page: Page, editPayload?: (payload: string) => string) {
    await page.getByRole('button', { name: 'Send test event' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Send test event' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel('Trigger')).toHaveValue('dynamic-content.snapshot.published');
    if (editPayload) {
      const payload = dialog.getByLabel('Payload');
      await payload.fill(editPayload(await payload.inputValue()));
    }
    await dialog.getByRole('button', { name: 'Send event' }).click();
    await expect(page).toHaveURL(/\/activity\/[0-9a-f-]{36}$/);
  }

  test('create a webhook with a filter, a secret header, basic auth and a custom payload', async ({ page }) => {
    await page.goto('/webhooks/new');
    await expect(page.getByRole('button', { name: 'Create webhook' })).toBeEnabled();
    await page.getByLabel('Label', { exact: true }).fill('Search index');
    await page.getByLabel(/Snapshot published/).check();
    await page.getByLabel('URL', { exact: true }).fill(`${receiver.url}/hooks/{{payload.id}}`);

    // Filters: a snippet with Equal, then an In filter.
    await page.getByRole('button', { name: 'Add snippet' }).click();
    await page.getByRole('menuitem', { name: /snapshot schema id/ }).click();
    await expect(page.getByLabel('Filter 1 JSON path')).toHaveValue('$.payload.rootContentItem.contentTypeUri');
    await page.getByLabel('Filter 1 value').fill(SCHEMA);
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByLabel('Filter 2 JSON path').fill('$.payload.createdFrom');
    await page.getByLabel('Filter 2 operator').selectOption('in');
    await page.getByLabel('Filter 2 value 1').fill('content-item');
    await page.getByRole('button', { name: '+ Add value' }).click();
    await page.getByLabel('Filter 2 value 2').fill('edition');

    // Headers: a secret header and basic auth.
    await page.getByRole('button', { name: 'Secret header' }).click();
    await page.getByLabel('Header 1 name').fill('X-Api-Key');
    await page.getByLabel('Header 1 value').fill('top-secret-key');
    await page.getByRole('button', { name: 'Add basic auth header' }).click();
    const basicAuth = page.getByRole('dialog', { name: 'Add basic auth header' });
    await basicAuth.getByLabel('User').fill('herald');
    await basicAuth.getByLabel('Password').fill('p4ss:word');
    await basicAuth.getByRole('button', { name: 'OK' }).click();
    await expect(page.getByLabel('Header 2 name')).toHaveValue('Authorization');

    // Custom payload in Monaco, with the live preview.
    await page.getByRole('radio', { name: /^Custom/ }).check();
    const editor = page.getByTestId('template-editor');
    await expect(editor.locator('.monaco-editor')).toBeVisible();
    await editor.locator('.view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(TEMPLATE);
    await expect(page.getByTestId('template-size')).toContainText('of 5 KB');
    const preview = page.getByTestId('preview');
    await expect(preview).toContainText('Would be sent');
    await expect(preview).toContainText(`/hooks/${ITEM_ID}`);
    await expect(preview).toContainText('"label": "Products"');
    await snap(page, 'editor-create-1280');

    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expect(page.getByTestId('toast').filter({ hasText: 'Webhook created' })).toBeVisible();
    await expect(page).toHaveURL(/\/webhooks\/[0-9a-f]{24}$/);
    webhookUrl = new URL(page.url()).pathname;
    await expect(page.getByRole('heading', { name: 'Search index', level: 1 })).toBeVisible();
    // Secret values are never shown again.
    await expect(page.getByLabel('Header 1 value (secret, hidden)')).toHaveValue('********');
    await expect(page.getByText('All changes saved')).toBeVisible();
    await snap(page, 'editor-edit-1280');
  });

  test('a test event is delivered, with the filter report and masked headers', async ({ page }) => {
    await page.goto(webhookUrl);
    await sendTestEvent(page);
    deliveredUrl = new URL(page.url()).pathname;
    await expect(page.getByTestId('delivery-status')).toHaveText('Delivered');

    const report = page.getByTestId('filter-report');
    await expect(report.getByText('Matched', { exact: true })).toHaveCount(2);
    await expect(report).toContainText(`Matched value: ${SCHEMA}`);
    await expect(report).toContainText('Matched value: content-item');

    const headers = page.getByRole('table', { name: 'Request headers' });
    await expect(headers.getByRole('row', { name: /X-Api-Key/ })).toContainText('********');
    await expect(headers.getByRole('row', { name: /Authorization/ })).toContainText('********');
    await expect(headers).not.toContainText('top-secret-key');
    await expect(page.getByTestId('request-line')).toContainText(`POST ${receiver.url}/hooks/${ITEM_ID}`);
    await expect(page.getByRole('region', { name: 'Custom payload template' })).toContainText('JSONstringify');
    await expect(page.getByTestId('attempt')).toContainText('HTTP 200');

    await receiver.waitForRequests(1);
    const received = receiver.requests[0]!;
    expect(received.path).toBe(`/hooks/${ITEM_ID}`);
    expect(received.headers.authorization).toBe(`Basic ${Buffer.from('herald:p4ss:word').toString('base64')}`);
    expect(received.headers['x-api-key']).toBe('top-secret-key');
    expect(JSON.parse(received.body)).toEqual({
      id: ITEM_ID,
      label: 'Products',
      event: 'dynamic-content.snapshot.published',
    });
    await snap(page, 'delivery-delivered-1280');
  });

  test('an event the filters reject shows "Not sent (filtered)"', async ({ page }) => {
    await page.goto(webhookUrl);
    await sendTestEvent(page, (payload) => payload.replace(SCHEMA, 'https://doc-example.com/other.json'));
    await expect(page.getByTestId('delivery-status')).toHaveText('Not sent (filtered)');
    await expect(page.getByTestId('filter-report')).toContainText('Not matched');
    await expect(page.getByText('Not sent: the filters did not match this event.')).toBeVisible();
    expect(receiver.requests).toHaveLength(1);
    await snap(page, 'delivery-filtered-1280');
  });

  test('the activity log lists deliveries and filters them', async ({ page }) => {
    await page.goto(`${webhookUrl}/activity`);
    const rows = page.getByTestId('delivery-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText('Not sent (filtered)');
    await expect(rows.nth(1)).toContainText('Delivered');
    await expect(rows.nth(1)).toContainText('200');
    await snap(page, 'activity-log-1280');
    await page.getByLabel('Status').selectOption('DELIVERED');
    await expect(page).toHaveURL(/status=DELIVERED/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Delivered');
    await rows.first().getByRole('link', { name: 'View details' }).click();
    await expect(page).toHaveURL(deliveredUrl);
  });

  test('redeliver sends the request again', async ({ page }) => {
    await page.goto(deliveredUrl);
    await page.getByRole('button', { name: 'Redeliver' }).click();
    await expect(page.getByTestId('toast').filter({ hasText: 'Redelivery queued' })).toBeVisible();
    await receiver.waitForRequests(2);
    await expect(page.getByTestId('attempt')).toHaveCount(2);
    await expect(page.getByTestId('delivery-status')).toHaveText('Delivered');
    expect(receiver.requests[1]!.body).toBe(receiver.requests[0]!.body);
  });

  test('edit the webhook; unsaved changes are not lost silently', async ({ page }) => {
    await page.goto(webhookUrl);
    await expect(page.getByRole('button', { name: 'Save changes' })).toBeEnabled();
    await page.getByLabel('Label', { exact: true }).fill('Search index (production)');
    await expect(page.getByText('Unsaved changes')).toBeVisible();

    const asked = page.waitForEvent('dialog').then(async (dialog) => {
      expect(dialog.message()).toContain('unsaved changes');
      await dialog.dismiss();
    });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
    await asked;
    await expect(page).toHaveURL(webhookUrl);

    // The browser's Back button asks too, and staying keeps what was typed.
    const askedOnBack = page.waitForEvent('dialog').then(async (dialog) => {
      expect(dialog.message()).toContain('unsaved changes');
      await dialog.dismiss();
    });
    await page.goBack();
    await askedOnBack;
    await expect(page).toHaveURL(webhookUrl);
    await expect(page.getByLabel('Label', { exact: true })).toHaveValue('Search index (production)');

    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByTestId('toast').filter({ hasText: 'Webhook saved' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Search index (production)', level: 1 })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Label', { exact: true })).toHaveValue('Search index (production)');
    await expect(page.getByLabel('Header 2 value (secret, hidden)')).toHaveValue('********');
  });

  test('the webhook list shows the last delivery and the 24 h success rate', async ({ page }) => {
    await page.goto('/webhooks');
    const row = page.getByTestId('webhook-row').filter({ hasText: 'Search index (production)' });
    await expect(row).toContainText('Delivered');
    await expect(row).toContainText('100%');
    await expect(row.getByRole('switch')).toHaveAttribute('aria-checked', 'true');
    await snap(page, 'webhooks-list-1280');
  });

  test('the events page lists events and emits one', async ({ page }) => {
    await page.goto('/events');
    const rows = page.getByTestId('event-row');
    const ours = rows.filter({ hasText: 'Search index (production)' });
    await expect(ours).toHaveCount(2);
    // The form is live (hydrated) once its button is enabled.
    await expect(page.getByRole('button', { name: 'Emit event' })).toBeEnabled();
    await page.getByLabel('Event', { exact: true }).selectOption('dynamic-content.snapshot.published');
    await page.getByRole('button', { name: 'Emit event' }).click();
    // Other specs delete their webhooks when they end: this journey's is the only subscriber.
    const emitted = page.getByText(/Event #\d+ emitted: 1 delivery queued, 0 filtered/);
    await expect(emitted).toBeVisible();
    const sequenceId = (await emitted.textContent())?.match(/#(\d+)/)?.[1];
    await expect(rows.first()).toContainText(`#${sequenceId}`);
    await expect(rows.first()).toContainText('Search index (production)');
    await expect(ours).toHaveCount(3);
    await receiver.waitForRequests(3);
    await snap(page, 'events-1280');
  });

  test('works at 390 px', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/webhooks');
    await expect(page.getByTestId('webhook-row').filter({ hasText: 'Search index (production)' })).toHaveCount(1);
    await snap(page, 'webhooks-list-390');
    await page.goto(webhookUrl);
    await expect(page.getByLabel('Label', { exact: true })).toBeVisible();
    await snap(page, 'editor-390');
    await page.goto(deliveredUrl);
    await expect(page.getByTestId('delivery-status')).toHaveText('Delivered');
    await snap(page, 'delivery-390');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  test('delete the webhook', async ({ page }) => {
    await page.goto(webhookUrl);
    await page.getByRole('button', { name: 'Delete webhook' }).click();
    const dialog = page.getByRole('dialog', { name: /Delete Search index/ });
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(page).toHaveURL(/\/webhooks$/);
    await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
    await expect(page.getByTestId('webhook-row').filter({ hasText: 'Search index' })).toHaveCount(0);
    await page.goto(webhookUrl);
    await expect(page.getByText(/the hub, webhook or delivery it names does not exist/)).toBeVisible();
  });
});
