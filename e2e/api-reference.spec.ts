import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { snap } from './support';

/**
 * The admin's API page renders the OpenAPI document Herald serves (no script from elsewhere):
 * operations by tag, each opening to its scope, parameters and schemas; the raw JSON one click
 * away. Photographed at 1280 and 390 px, where nothing may scroll sideways.
 */

async function openWebhookCreate(page: Page) {
  const create = page.getByTestId('operation').filter({ hasText: 'Create a webhook' });
  await create.locator('summary').first().click();
  await expect(create.getByText('Request body')).toBeVisible();
  await expect(create.getByText('webhooks:write').first()).toBeVisible();
  await expect(create.getByText('WebhookInput')).toBeVisible();
  // A nested schema unfolds on demand: the filters' variants.
  await create.getByText('Fields of filters').first().click();
  await expect(create.getByText(/Variant 1/).first()).toBeVisible();
  return create;
}

test('the API page lists every operation by tag from /v2/openapi.json, with scopes and schemas', async ({ page }) => {
  // Two widths, each opening the largest operation, full-page shots: more than the default budget on a busy machine.
  test.setTimeout(300_000);
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'API', level: 1 })).toBeVisible();

  const openApi = (await (await page.request.get('/v2/openapi.json')).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const operations = Object.values(openApi.paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
  await expect(page.getByTestId('operation')).toHaveCount(operations);
  for (const tag of ['Hubs', 'Webhooks', 'Requests', 'Events', 'Audit log', 'Content', 'OAuth']) {
    await expect(page.getByRole('heading', { name: tag, level: 2 })).toBeVisible();
  }
  await expect(page.getByText('/v2/content/hubs/{hubId}/events:batch')).toBeVisible();
  await expect(page.getByRole('link', { name: 'OpenAPI JSON' })).toHaveAttribute('href', '/v2/openapi.json');

  const create = await openWebhookCreate(page);
  await snap(page, 'api-1280');
  await page.evaluate(() => window.scrollTo(0, 0));
  await snap(page, 'api-1280-top', { fullPage: false });
  await create.scrollIntoViewIfNeeded();
  await snap(page, 'api-1280-operation', { fullPage: false });

  // Nothing but Herald's own origin is asked for anything.
  const origin = new URL(page.url()).origin;
  expect(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:'))).toEqual([]);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  const phoneCreate = await openWebhookCreate(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `the page is ${width} px wide`).toBeLessThanOrEqual(390);
  await snap(page, 'api-390');
  await page.evaluate(() => window.scrollTo(0, 0));
  await snap(page, 'api-390-top', { fullPage: false });
  await phoneCreate.scrollIntoViewIfNeeded();
  await snap(page, 'api-390-operation', { fullPage: false });
});
