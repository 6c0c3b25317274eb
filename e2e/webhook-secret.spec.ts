import { createHmac } from 'node:crypto';
import type { ReceivedRequest } from '../tests/support/receiver';
import { expect, openEditor, saveChanges, sendTestEvent, test } from './fixtures';
import { snap } from './support';

/** The secret section: show, copy, regenerate (after confirming), replace with your own. */

const masked = (secret: string) => `${'•'.repeat(24)}${secret.slice(-4)}`;

/** The signatures a receiver checks: the Amplience header with one secret, Standard Webhooks with each listed. */
function expectSignedWith(request: ReceivedRequest, current: string, previous?: string): void {
  const hmac = (key: string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest('base64');
  expect(request.headers['x-amplience-webhook-signature']).toBe(hmac(current, request.body));
  const signed = `${request.headers['webhook-id']}.${request.headers['webhook-timestamp']}.${request.body}`;
  const expected = [current, ...(previous ? [previous] : [])].map((secret) => `v1,${hmac(secret, signed)}`);
  expect(String(request.headers['webhook-signature']).split(' ')).toEqual(expected);
}

test('Show reveals the secret and Copy secret puts it on the clipboard', async ({ page, context, webhook }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openEditor(page, webhook.id);
  const secret = page.getByTestId('webhook-secret');
  await expect(secret).toHaveText(masked(webhook.secret));

  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(secret).toHaveText(webhook.secret);
  await expect(page.getByRole('button', { name: 'Hide', exact: true })).toHaveAttribute('aria-pressed', 'true');

  const copy = page.getByRole('button', { name: 'Copy secret' });
  await copy.click();
  // The button says so in an aria-live region, then the clipboard holds the whole secret.
  await expect(copy).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(webhook.secret);
  await expect(copy).toHaveText('Copy');

  await page.getByRole('button', { name: 'Hide', exact: true }).click();
  await expect(secret).toHaveText(masked(webhook.secret));
});

test('Regenerate asks first, then signs with a new secret and, for a while, the old one too', async ({
  page,
  herald,
  webhook,
  receiver,
}) => {
  await openEditor(page, webhook.id);
  const dialog = page.getByRole('dialog', { name: 'Regenerate the secret?' });

  await page.getByRole('button', { name: 'Regenerate' }).click();
  await expect(dialog).toContainText('The previous one still signs webhook-signature for 24 hours');
  await snap(page, 'secret-regenerate-dialog-1280', { fullPage: false });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect((await herald.getWebhook(webhook.id)).secret).toBe(webhook.secret);

  await page.getByRole('button', { name: 'Regenerate' }).click();
  await dialog.getByRole('button', { name: 'Regenerate' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Secret regenerated' })).toBeVisible();
  await expect(dialog).toBeHidden();
  const fresh = (await herald.getWebhook(webhook.id)).secret;
  expect(fresh).toMatch(/^[A-Za-z0-9]{128}$/);
  expect(fresh).not.toBe(webhook.secret);
  // Saved at once: nothing left for "Save changes".
  await expect(page.getByText('All changes saved')).toBeVisible();
  const secret = page.getByTestId('webhook-secret');
  await expect(secret).toHaveText(masked(fresh));
  await page.getByRole('button', { name: 'Show', exact: true }).click();
  await expect(secret).toHaveText(fresh);

  await sendTestEvent(page);
  await receiver.waitForRequests(1);
  expectSignedWith(receiver.requests[0]!, fresh, webhook.secret);
});

test('Set your own secret: checked, saved, and then used to sign', async ({ page, herald, webhook, receiver }) => {
  await openEditor(page, webhook.id);
  const section = page.getByRole('region', { name: 'Secret', exact: true });
  await section.getByRole('button', { name: 'Set your own secret' }).click();
  const own = section.getByLabel('Your own secret');
  await own.fill('too short');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(section).toContainText('secret must be at least 16 characters');
  await expect(own).toHaveAttribute('aria-invalid', 'true');
  await section.scrollIntoViewIfNeeded();
  await snap(page, 'secret-own-invalid-1280', { fullPage: false });
  expect((await herald.getWebhook(webhook.id)).secret).toBe(webhook.secret);

  // Cancel drops the field and the change.
  await section.getByRole('button', { name: 'Cancel' }).click();
  await expect(own).toBeHidden();

  const chosen = 'shared-with-the-receiver-2024';
  await section.getByRole('button', { name: 'Set your own secret' }).click();
  await own.fill(chosen);
  await expect(page.getByText('Unsaved changes')).toBeVisible();
  await saveChanges(page);
  await expect(own).toBeHidden();
  expect((await herald.getWebhook(webhook.id)).secret).toBe(chosen);
  await page.reload();
  await expect(section.getByTestId('webhook-secret')).toHaveText(masked(chosen));

  await sendTestEvent(page);
  await receiver.waitForRequests(1);
  // Replacing rolls over like regenerating: the replaced secret keeps signing for the grace period.
  expectSignedWith(receiver.requests[0]!, chosen, webhook.secret);
});

test('after saving your own secret, the section shows it and Copy secret copies it', async ({
  page,
  context,
  webhook,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openEditor(page, webhook.id);
  const section = page.getByRole('region', { name: 'Secret', exact: true });
  await section.getByRole('button', { name: 'Set your own secret' }).click();
  const chosen = 'shared-with-the-receiver-2024';
  await section.getByLabel('Your own secret').fill(chosen);
  await saveChanges(page);
  await section.getByRole('button', { name: 'Copy secret' }).click();
  await expect(section.getByRole('button', { name: 'Copy secret' })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(chosen);
});
