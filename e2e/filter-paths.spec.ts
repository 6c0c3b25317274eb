import { storeFilterPathAsIs } from './admin-session';
import { expect, openEditor, SNAPSHOT_PUBLISHED, sendTestEvent, test } from './fixtures';
import { snap } from './support';

/**
 * A filter's JSONPath is parsed strictly: an invalid one is marked beside its field as it is typed
 * and refused on save, never read as a shorter path; one stored before the check (an old row) is
 * ignored when events are filtered, so the event is sent and the report says why.
 */
test.use({
  webhookInput: {
    filters: [{ type: 'equal', arguments: [{ jsonPath: '$.payload.createdFrom' }, { value: 'content-item' }] }],
  },
});

test('an invalid path is marked at its field when typed and when saved', async ({ page, webhook }) => {
  await openEditor(page, webhook.id);
  const path = page.getByLabel('Filter 1 JSON path');
  await path.fill('$.payload[');
  const row = page.getByTestId('filter-row').first();
  await expect(row.getByText(/invalid JSONPath/)).toBeVisible();
  await expect(path).toHaveAttribute('aria-invalid', 'true');
  await snap(page, 'filter-path-invalid-1280', { fullPage: false });

  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(row.getByText(/invalid JSONPath/)).toBeVisible();
  await expect(page.getByText('All changes saved')).toBeHidden();

  // Corrected, the mark goes as it is typed, and the path saves.
  await path.fill('$.payload.name');
  await expect(row.getByText(/invalid JSONPath/)).toBeHidden();
});

test('a stored invalid path is ignored: the event is sent, and the report says why', async ({
  page,
  webhook,
  herald,
  receiver,
}) => {
  await storeFilterPathAsIs(webhook.id, 0, '$.payload[');
  const emitted = await herald.emitEvent(SNAPSHOT_PUBLISHED, { createdFrom: 'edition' });
  expect(emitted.deliveries.map((delivery) => delivery.status)).toEqual(['QUEUED']);
  await expect.poll(() => receiver.requests.length).toBe(1);

  await openEditor(page, webhook.id);
  await sendTestEvent(page);
  await expect(page.getByTestId('filter-report')).toContainText('invalid JSONPath');
});
