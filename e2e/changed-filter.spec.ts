import type { Page } from '@playwright/test';
import { expect, openEditor, saveChanges, test } from './fixtures';
import { snap } from './support';

/**
 * Content-aware delivery in the editor: a `changed` filter from the snippets menu, the preview
 * comparing the sample with its previous version, a template reading `changes`, and the activity
 * log saying "was …, now …" for an event the filter held back.
 */
const UPDATED = 'dynamic-content.content-item.updated';
const PHONE = { width: 390, height: 844 };

test.use({ webhookInput: { label: 'Slug redirects', events: [UPDATED] } });

async function templateText(page: Page): Promise<string> {
  const text = (await page.getByTestId('template-editor').locator('.view-lines').textContent()) ?? '';
  return text.replace(/\u00a0/g, ' ');
}

test('a changed filter and a template with changes: built in the editor, previewed, and held back in the log', async ({
  page,
  webhook,
  herald,
  receiver,
}) => {
  await openEditor(page, webhook.id);

  // The snippet sets the path and the operator.
  await page.getByRole('button', { name: 'Add snippet' }).click();
  await page.getByRole('menuitem', { name: /^delivery key changed/ }).click();
  await expect(page.getByLabel('Filter 1 JSON path')).toHaveValue('$.payload.body._meta.deliveryKey');
  await expect(page.getByLabel('Filter 1 operator')).toHaveValue('changed');
  await expect(page.getByTestId('changed-explainer')).toBeVisible();

  // A template listing what changed, from the Snippets menu.
  await page.getByRole('radio', { name: /^Custom/ }).check();
  const editor = page.getByTestId('template-editor');
  await expect(editor.locator('.monaco-editor')).toBeVisible();
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await expect.poll(() => templateText(page)).toBe('');
  await page.getByRole('button', { name: 'Snippets' }).click();
  await page.getByRole('menuitem', { name: /^What changed/ }).click();
  await expect.poll(() => templateText(page)).toContain('{{#each changes}}');

  // The preview compares the sample with a previous version of it.
  const preview = page.getByTestId('preview');
  await expect(preview.getByTestId('filter-change')).toHaveText(
    'was "test-delivery-key-draft", now "test-delivery-key"',
  );
  await expect(preview.getByText('Would be sent')).toBeVisible();
  await expect(preview.getByLabel('Preview body')).toContainText('body._meta.deliveryKey');
  await page.locator('#filters').scrollIntoViewIfNeeded();
  await snap(page, 'changed-filter-editor-1280', { fullPage: false });
  await preview.scrollIntoViewIfNeeded();
  await snap(page, 'changed-filter-preview-1280', { fullPage: false });
  await saveChanges(page);

  await page.setViewportSize(PHONE);
  await page.locator('#filters').scrollIntoViewIfNeeded();
  await snap(page, 'changed-filter-editor-390', { fullPage: false });

  // Three saves of one item: the first is sent, a save with the same delivery key is not.
  const item = (deliveryKey: string, label: string) => ({
    id: 'e2e-item-1',
    label,
    body: { _meta: { schema: 'https://example.com/page.json', deliveryKey }, title: label },
  });
  const first = await herald.emitEvent(UPDATED, item('home', 'Home'));
  const retitled = await herald.emitEvent(UPDATED, item('home', 'Home page'));
  const moved = await herald.emitEvent(UPDATED, item('start', 'Home page'));
  expect([first, retitled, moved].map((event) => event.deliveries[0]?.status)).toEqual([
    'QUEUED',
    'FILTERED',
    'QUEUED',
  ]);
  await expect.poll(() => receiver.requests.length).toBe(2);
  // The two are sent in either order: the moved item's request is the one that names the change.
  expect(receiver.requests.map((request) => JSON.parse(request.body))).toContainEqual(['body._meta.deliveryKey']);

  const filtered = retitled.deliveries[0]?.id;
  await page.goto(`/hubs/${herald.hubId}/webhooks/${webhook.id}/activity/${filtered}`);
  const report = page.getByTestId('filter-report');
  await expect(report.getByTestId('filter-change')).toHaveText('was "home", now "home"');
  await expect(report).toContainText('unchanged since the previous event of this key');
  await snap(page, 'changed-filter-report-390');
  await page.setViewportSize({ width: 1280, height: 900 });
  await expect(report.getByTestId('filter-change')).toBeVisible();
  await snap(page, 'changed-filter-report-1280');
});
