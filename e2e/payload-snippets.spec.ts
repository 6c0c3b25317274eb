import type { Page } from '@playwright/test';
import { expect, openEditor, sampleSnapshotPayload, saveChanges, sendTestEvent, test } from './fixtures';
import { snap } from './support';

/** The custom payload's Snippets menu writes handlebars into the Monaco editor where the cursor is. */

/** The editor's text as shown (Monaco renders spaces as non-breaking ones). */
async function templateText(page: Page): Promise<string> {
  const text = (await page.getByTestId('template-editor').locator('.view-lines').textContent()) ?? '';
  return text.replace(/\u00a0/g, ' ');
}

/** Puts the cursor in the editor: at the start, or with everything selected. */
async function placeCursor(page: Page, where: 'start' | 'all'): Promise<void> {
  await page.getByTestId('template-editor').locator('.view-lines').click();
  await page.keyboard.press(where === 'start' ? 'ControlOrMeta+Home' : 'ControlOrMeta+A');
}

test('the Snippets menu inserts handlebars where the cursor is, by mouse and by keyboard', async ({
  page,
  webhook,
  receiver,
}) => {
  const sample = sampleSnapshotPayload();
  await openEditor(page, webhook.id);
  await page.getByRole('radio', { name: /^Custom/ }).check();
  const editor = page.getByTestId('template-editor');
  await expect(editor.locator('.monaco-editor')).toBeVisible();
  await placeCursor(page, 'all');
  await page.keyboard.press('Delete');
  await expect.poll(() => templateText(page)).toBe('');

  // By mouse, into the empty editor.
  const snippets = page.getByRole('button', { name: 'Snippets' });
  await snippets.click();
  const menu = page.getByRole('menu');
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await snap(page, 'payload-snippets-menu-1280', { fullPage: false });
  await menu.getByRole('menuitem', { name: /^Event name/ }).click();
  await expect(menu).toBeHidden();
  await expect.poll(() => templateText(page)).toBe('{{name}}');

  // By keyboard (Enter opens, arrows move, Enter picks), at the cursor: the start, not the end.
  await placeCursor(page, 'start');
  await snippets.focus();
  await page.keyboard.press('Enter');
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  const itemId = menu.getByRole('menuitem', { name: /^Item id/ });
  for (let step = 0; step < 20 && !(await itemId.evaluate((element) => element === document.activeElement)); step++) {
    await page.keyboard.press('ArrowDown');
  }
  await expect(itemId).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(menu).toBeHidden();
  await expect.poll(() => templateText(page)).toBe('{{payload.id}}{{name}}');

  // A selection is replaced.
  await placeCursor(page, 'all');
  await snippets.click();
  await menu.getByRole('menuitem', { name: /^Payload as JSON/ }).click();
  const template = '{{{JSONstringify payload}}}';
  await expect.poll(() => templateText(page)).toBe(template);

  const preview = page.getByTestId('preview');
  await expect(preview).toContainText(`"id": "${sample.id}"`);
  await expect(preview).toContainText(`"contentTypeUri": "${sample.rootContentItem.contentTypeUri}"`);
  await preview.scrollIntoViewIfNeeded();
  await snap(page, 'payload-snippets-1280', { fullPage: false });
  await saveChanges(page);

  await sendTestEvent(page);
  await expect(page.getByRole('region', { name: 'Custom payload template' })).toHaveText(template);
  await receiver.waitForRequests(1);
  expect(JSON.parse(receiver.requests[0]!.body)).toEqual(sample);
});
