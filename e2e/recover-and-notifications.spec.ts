import { expect, openEditor, SNAPSHOT_PUBLISHED, sampleSnapshotPayload, saveChanges, test } from './fixtures';
import { snap } from './support';

/** Operating a webhook: who is emailed when it fails, and sending a bad day's failures again. */

test('the Notifications section keeps one address, checks it, and says mail is not configured', async ({
  page,
  webhook,
}) => {
  await openEditor(page, webhook.id);
  const section = page.getByRole('region', { name: 'Notifications' });
  // The e2e server runs without HERALD_SMTP_URL.
  await expect(section.getByText('Not configured', { exact: true })).toBeVisible();
  await expect(section).toContainText('Herald sends no email until HERALD_SMTP_URL is set');

  const address = section.getByLabel('Email address');
  await address.fill('ops@');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Notifications: must be a valid email address')).toBeVisible();
  await expect(address).toHaveAttribute('aria-invalid', 'true');

  await address.fill('ops@example.com');
  await saveChanges(page);
  // An outside address waits for its confirmation link before Herald mails it failures.
  await expect(section.getByText('Awaiting confirmation', { exact: true })).toBeVisible();
  await section.scrollIntoViewIfNeeded();
  await snap(page, 'webhook-notifications-section');
  await page.reload();
  await expect(page.getByRole('region', { name: 'Notifications' }).getByLabel('Email address')).toHaveValue(
    'ops@example.com',
  );
});

test('"Recover failed deliveries…" counts the failed ones of a window and sends each again', async ({
  page,
  herald,
  webhook,
  receiver,
}) => {
  receiver.respondWith(() => ({ status: 503, body: 'down for maintenance' }));
  const sample = sampleSnapshotPayload();
  const emitted = [
    await herald.emitEvent(SNAPSHOT_PUBLISHED, sample),
    await herald.emitEvent(SNAPSHOT_PUBLISHED, sample),
  ];
  const ids = emitted.map((event) => event.deliveries[0]?.id);

  await page.goto(`/webhooks/${webhook.id}/activity`);
  const rows = page.getByTestId('delivery-row');
  // The log refreshes itself while deliveries are in flight; the e2e retry schedule is 0, 1 s, 2 s.
  await expect(rows.filter({ hasText: 'Failed' })).toHaveCount(2);
  receiver.respondWith(() => ({ status: 200, body: 'ok' }));
  const sentBefore = receiver.requests.length;

  await page.getByRole('button', { name: 'Recover failed deliveries…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Recover failed deliveries' });
  await expect(dialog.getByLabel('From')).not.toHaveValue('');
  await expect(dialog.getByTestId('recover-count')).toHaveText(
    '2 failed deliveries in this window will be sent again.',
  );
  await snap(page, 'recover-failed-deliveries-dialog');

  // An end before the start is refused before anything is counted.
  await dialog.getByLabel('Until').fill('2020-01-01T00:00');
  await expect(dialog.getByTestId('recover-count')).toHaveText('The end must be after the start');
  await dialog.getByLabel('Until').fill('');
  await expect(dialog.getByTestId('recover-count')).toHaveText(
    '2 failed deliveries in this window will be sent again.',
  );

  await dialog.getByRole('button', { name: 'Recover 2 failed deliveries' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Recovering 2 failed deliveries' })).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(rows.filter({ hasText: 'Delivered' })).toHaveCount(2);
  await snap(page, 'recover-failed-deliveries-done');

  // Each was sent once more, with its own webhook-id.
  const resent = receiver.requests.slice(sentBefore).map((request) => request.headers['webhook-id']);
  expect(resent.sort()).toEqual([...ids].sort());

  // Nothing is left to recover.
  await page.getByRole('button', { name: 'Recover failed deliveries…' }).click();
  await expect(dialog.getByTestId('recover-count')).toHaveText('No failed deliveries in this window.');
  await expect(dialog.getByRole('button', { name: 'Recover', exact: true })).toBeDisabled();
});
