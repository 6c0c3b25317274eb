import {
  expect,
  openEditor,
  SNAPSHOT_PUBLISHED,
  sampleSnapshotPayload,
  saveChanges,
  sendTestEvent,
  test,
} from './fixtures';
import { snap } from './support';

/** What the editor changes about the request, checked where it lands: a real receiver on 127.0.0.1. */

test('a custom header added in the editor arrives at the receiver', async ({ page, webhook, receiver }) => {
  await openEditor(page, webhook.id);
  await expect(page.getByText('No custom headers.')).toBeVisible();

  // A standard header Herald sets itself is refused, next to the field.
  await page.getByRole('button', { name: 'Custom header' }).click();
  await page.getByLabel('Header 1 name').fill('User-Agent');
  await page.getByLabel('Header 1 value').fill('my-agent/1.0');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Some fields need attention')).toBeVisible();
  const headerRow = page.getByTestId('header-row');
  await expect(headerRow).toContainText('User-Agent is a standard header set by Herald');
  await expect(page.getByLabel('Header 1 name')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Header 1 name').fill('X-Correlation-Source');
  await page.getByLabel('Header 1 value').fill('herald-e2e');
  await page.getByRole('region', { name: 'Headers', exact: true }).scrollIntoViewIfNeeded();
  await snap(page, 'editor-custom-header-1280', { fullPage: false });
  await saveChanges(page);
  await page.reload();
  // A plain (not secret) header keeps showing its value.
  await expect(page.getByLabel('Header 1 name')).toHaveValue('X-Correlation-Source');
  await expect(page.getByLabel('Header 1 value')).toHaveValue('herald-e2e');

  await sendTestEvent(page);
  await expect(page.getByTestId('delivery-status')).toHaveText('Delivered');
  const sent = page.getByRole('table', { name: 'Request headers' }).getByRole('row', { name: /X-Correlation-Source/ });
  await expect(sent).toContainText('herald-e2e');
  await receiver.waitForRequests(1);
  expect(receiver.requests[0]!.headers['x-correlation-source']).toBe('herald-e2e');
  expect(receiver.requests[0]!.headers['user-agent']).toMatch(/^Herald-Webhook\//);
});

test('the method dropdown: PUT is saved and the receiver gets a PUT', async ({ page, herald, webhook, receiver }) => {
  await openEditor(page, webhook.id);
  const method = page.getByLabel('Method');
  await expect(method).toHaveValue('POST');
  await expect(method.locator('option')).toHaveText(['POST', 'PUT', 'PATCH', 'DELETE']);
  await method.selectOption('PUT');
  await expect(page.getByText('Unsaved changes')).toBeVisible();
  await saveChanges(page);
  expect((await herald.getWebhook(webhook.id)).method).toBe('PUT');
  await page.reload();
  await expect(page.getByLabel('Method')).toHaveValue('PUT');

  await sendTestEvent(page);
  await expect(page.getByTestId('delivery-status')).toHaveText('Delivered');
  await expect(page.getByTestId('request-line')).toHaveText(`PUT ${receiver.url}/hook`);
  await receiver.waitForRequests(1);
  const received = receiver.requests[0]!;
  expect(received.method).toBe('PUT');
  expect(received.path).toBe('/hook');
  // The standard payload: the event envelope, unchanged by the method.
  expect(JSON.parse(received.body)).toMatchObject({ name: SNAPSHOT_PUBLISHED, payload: sampleSnapshotPayload() });
});
