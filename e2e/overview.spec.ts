import { recordPastFailures } from './admin-session';
import { expect, SNAPSHOT_PUBLISHED, sampleSnapshotPayload, test } from './fixtures';
import { snap } from './support';

/** The charts people look at instead of tables: they render the deliveries that just happened. */
test('the overview and a webhook’s activity tab chart its deliveries', async ({ page, herald, webhook, receiver }) => {
  for (let index = 0; index < 3; index++) await herald.emitEvent(SNAPSHOT_PUBLISHED, sampleSnapshotPayload());
  await receiver.waitForRequests(3);

  await page.goto('/overview');
  await expect(page.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
  const chart = page.getByRole('img', { name: /^Deliveries per hour: \d+ in all$/ });
  await expect(chart).toBeVisible();
  // Bars drawn from the data, not an empty frame.
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByRole('img', { name: /^Emit to 2xx latency per hour/ })).toBeVisible();
  await snap(page, 'overview-24h');

  await page.getByRole('link', { name: 'Last 30 days' }).click();
  await expect(page.getByRole('img', { name: /^Deliveries per day: \d+ in all$/ })).toBeVisible();

  await page.goto(`/webhooks/${webhook.id}/activity`);
  const own = page.getByRole('img', { name: /^Deliveries per hour of this webhook: \d+ in all$/ });
  await expect(own).toBeVisible();
  await expect(own).toHaveAttribute('aria-label', /: ([3-9]|\d{2,}) in all$/);
  await expect(page.getByTestId('success-rate')).toHaveText('100.0 %');
  await snap(page, 'webhook-activity-chart');
});

test('the overview’s labels keep one meaning, and “Failing most” follows the chosen range', async ({
  page,
  herald,
  webhook,
}) => {
  // Failed attempts five days ago: inside the last 30 days, outside the last 24 hours.
  await recordPastFailures(webhook.id, herald.hubId, 5, 3);
  await page.goto(`/hubs/${herald.hubId}/overview`);
  for (const label of ['Delivered', 'Failed deliveries', 'Failed attempts', 'Filtered', 'Attempt success rate']) {
    await expect(page.getByTestId(`total-${label}`)).toBeVisible();
  }
  const failing = page.getByRole('region', { name: 'Failing most' });
  await expect(failing).toContainText('in the last 24 hours');
  await expect(failing.getByRole('link', { name: webhook.label })).toHaveCount(0);

  await page.getByRole('link', { name: 'Last 30 days' }).click();
  await expect(page).toHaveURL(/range=30d/);
  await expect(failing).toContainText('in the last 30 days');
  const row = failing.getByRole('row').filter({ has: page.getByRole('link', { name: webhook.label }) });
  await expect(row).toContainText('3');
  await snap(page, 'overview-30d-1280');
});
