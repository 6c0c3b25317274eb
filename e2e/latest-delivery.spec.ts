import { expect, openEditor, SNAPSHOT_PUBLISHED, sampleSnapshotPayload, saveChanges, test } from './fixtures';
import { snap } from './support';

/** The editor's Delivery section, and superseded deliveries in the activity log. */

const PHONE = { width: 390, height: 844 };

test('the Delivery section sets latest mode, a debounce and a key, saying what is wrong beside the field', async ({
  page,
  webhook,
}) => {
  await openEditor(page, webhook.id);
  const section = page.getByRole('region', { name: 'Delivery' });
  await expect(section.getByLabel('Mode')).toHaveValue('every');
  await expect(section.getByLabel('Debounce (seconds)')).toHaveCount(0);

  await section.getByLabel('Mode').selectOption('latest');
  await expect(section.getByLabel('Key (JSONPath)')).toHaveAttribute('placeholder', /\$\.payload\.id/);
  await section.getByLabel('Debounce (seconds)').fill('5000');
  await section.getByLabel('Key (JSONPath)').fill('payload.id');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(section.getByText('must be 0–3600')).toBeVisible();
  await expect(section.getByText(/invalid JSONPath "payload\.id"/)).toBeVisible();
  await section.scrollIntoViewIfNeeded();
  await snap(page, 'delivery-section-errors-1280', { fullPage: false });

  await section.getByLabel('Debounce (seconds)').fill('30');
  await section.getByLabel('Key (JSONPath)').fill('$.resource');
  await saveChanges(page);
  await page.reload();
  await expect(section.getByLabel('Mode')).toHaveValue('latest');
  await expect(section.getByLabel('Debounce (seconds)')).toHaveValue('30');
  await expect(section.getByLabel('Key (JSONPath)')).toHaveValue('$.resource');
  await section.scrollIntoViewIfNeeded();
  await snap(page, 'delivery-section-1280', { fullPage: false });

  await page.setViewportSize(PHONE);
  await section.scrollIntoViewIfNeeded();
  await expect(section.getByLabel('Key (JSONPath)')).toBeInViewport();
  await snap(page, 'delivery-section-390', { fullPage: false });
});

test.describe('superseded deliveries', () => {
  test.use({ webhookInput: { delivery: { mode: 'latest', debounceSeconds: 2 } } });

  test('show as "Not sent (superseded)" in the activity log, linking to the newer delivery', async ({
    page,
    herald,
    webhook,
  }) => {
    const sample = sampleSnapshotPayload();
    const older = await herald.emitEvent(SNAPSHOT_PUBLISHED, sample);
    const newer = await herald.emitEvent(SNAPSHOT_PUBLISHED, sample);
    const olderId = older.deliveries[0]?.id ?? '';
    const newerId = newer.deliveries[0]?.id ?? '';

    await page.goto(`/webhooks/${webhook.id}/activity`);
    const rows = page.getByTestId('delivery-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(1)).toContainText('Not sent (superseded)');
    await expect(rows.first()).toContainText('Delivered');
    await snap(page, 'activity-superseded-1280');

    await rows.nth(1).getByRole('link', { name: 'View details' }).click();
    await expect(page.getByTestId('delivery-status')).toHaveText('Not sent (superseded)');
    const summary = page.getByRole('region', { name: 'Summary' });
    await expect(summary).toContainText(olderId);
    await snap(page, 'delivery-superseded-1280');
    await page.setViewportSize(PHONE);
    await snap(page, 'delivery-superseded-390');
    await summary.getByRole('link', { name: newerId }).click();
    await expect(page).toHaveURL(new RegExp(`/activity/${newerId}$`));
    await expect(page.getByTestId('delivery-status')).toHaveText('Delivered');
  });
});
