import { expect, SNAPSHOT_PUBLISHED, sampleSnapshotPayload, test } from './fixtures';
import { snap } from './support';

/** The Activity log tab of a webhook: every delivery, sent or filtered, and each one's details. */

const sample = sampleSnapshotPayload();
const OTHER_SCHEMA = 'https://doc-example.com/other.json';

test.use({
  webhookInput: {
    filters: [
      {
        type: 'equal',
        arguments: [
          { jsonPath: '$.payload.rootContentItem.contentTypeUri' },
          { value: sample.rootContentItem.contentTypeUri },
        ],
      },
    ],
  },
});

test('a new webhook has an empty log', async ({ page, webhook }) => {
  await page.goto(`/webhooks/${webhook.id}`);
  await page.getByRole('navigation', { name: 'Webhook' }).getByRole('link', { name: 'Activity log' }).click();
  await expect(page.getByText('No deliveries yet')).toBeVisible();
  await expect(page.getByTestId('delivery-row')).toHaveCount(0);
});

test('the Activity log tab lists deliveries, newest first, and opens one', async ({
  page,
  herald,
  webhook,
  receiver,
}) => {
  const delivered = await herald.emitEvent(SNAPSHOT_PUBLISHED, sample);
  const filtered = await herald.emitEvent(SNAPSHOT_PUBLISHED, {
    ...sample,
    rootContentItem: { ...sample.rootContentItem, contentTypeUri: OTHER_SCHEMA },
  });
  expect(delivered.deliveries.map((delivery) => delivery.status)).toEqual(['QUEUED']);
  expect(filtered.deliveries.map((delivery) => delivery.status)).toEqual(['FILTERED']);
  const deliveryId = delivered.deliveries[0]!.id;

  await page.goto(`/webhooks/${webhook.id}`);
  const tabs = page.getByRole('navigation', { name: 'Webhook' });
  await expect(tabs.getByRole('link', { name: 'Settings' })).toHaveAttribute('aria-current', 'page');
  await tabs.getByRole('link', { name: 'Activity log' }).click();
  await expect(page).toHaveURL(new RegExp(`/hubs/${herald.hubId}/webhooks/${webhook.id}/activity$`));
  await expect(tabs.getByRole('link', { name: 'Activity log' })).toHaveAttribute('aria-current', 'page');

  const rows = page.getByTestId('delivery-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Not sent (filtered)');
  await expect(rows.first()).toContainText(`#${filtered.sequenceId}`);
  // The page refreshes itself while a delivery is in flight.
  await expect(rows.nth(1)).toContainText('Delivered');
  await expect(rows.nth(1)).toContainText(`#${delivered.sequenceId}`);
  await expect(rows.nth(1)).toContainText('Snapshot published');
  await expect(rows.nth(1).getByRole('cell').nth(4)).toHaveText('200');
  await snap(page, 'activity-tab-1280');

  await rows.nth(1).getByRole('link', { name: 'View details' }).click();
  await expect(page).toHaveURL(new RegExp(`/hubs/${herald.hubId}/webhooks/${webhook.id}/activity/${deliveryId}$`));
  await expect(page.getByTestId('delivery-status')).toHaveText('Delivered');
  const summary = page.getByRole('region', { name: 'Summary' });
  await expect(summary).toContainText(deliveryId);
  await expect(summary).toContainText(`${SNAPSHOT_PUBLISHED} #${delivered.sequenceId}`);
  await expect(summary).toContainText(delivered.id);
  await expect(page.getByTestId('filter-report')).toContainText(
    `Matched value: ${sample.rootContentItem.contentTypeUri}`,
  );
  await expect(page.getByTestId('request-line')).toHaveText(`POST ${receiver.url}/hook`);
  await expect(page.getByRole('region', { name: 'Request body' })).toContainText(`"id": "${sample.id}"`);
  const attempt = page.getByTestId('attempt');
  await expect(attempt).toHaveCount(1);
  await expect(attempt).toContainText('Succeeded');
  await expect(attempt).toContainText('HTTP 200');
  await expect(page.getByRole('region', { name: 'Attempt 1 response body' })).toContainText('"received": true');
  await snap(page, 'activity-details-1280');

  // Back to the list through the tab, then the filtered delivery: nothing was sent.
  await tabs.getByRole('link', { name: 'Activity log' }).click();
  await rows.first().getByRole('link', { name: 'View details' }).click();
  await expect(page.getByTestId('delivery-status')).toHaveText('Not sent (filtered)');
  await expect(page.getByTestId('filter-report')).toContainText('Not matched');
  await expect(page.getByText('Not sent: the filters did not match this event.')).toBeVisible();
  await expect(page.getByTestId('attempt')).toHaveCount(0);
  expect(receiver.requests).toHaveLength(1);
});
