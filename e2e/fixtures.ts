import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { Receiver } from '../tests/support/receiver';
import { adminStorageState, createE2eApiClient, disconnectHeraldDatabase, type StorageState } from './admin-session';
import { type ApiWebhook, HeraldApi, type WebhookInput } from './herald-api';

/**
 * Every test starts signed in (a session made through lib/, no login form) and, when it asks for
 * one, with a fresh webhook of its own pointing at a fresh receiver on 127.0.0.1. The webhook is
 * deleted afterwards, so no test sees another's data through hub-wide lists or counts.
 */

export const SNAPSHOT_PUBLISHED = 'dynamic-content.snapshot.published';

/** The catalog's sample snapshot.published event (the one "Send test event" offers first). */
export function sampleSnapshotPayload(): Record<string, unknown> & {
  id: string;
  rootContentItem: { id: string; label: string; contentTypeUri: string };
} {
  const file = path.join(import.meta.dirname, '../lib/events/samples/snapshot.published.content-item.json');
  return JSON.parse(readFileSync(file, 'utf8')).payload;
}

interface WorkerFixtures {
  adminState: StorageState;
  herald: HeraldApi;
}

interface TestFixtures {
  /** What a spec's webhooks have beyond the defaults (`test.use({ webhookInput: … })`). */
  webhookInput: Partial<WebhookInput>;
  receiver: Receiver;
  webhook: ApiWebhook;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  adminState: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
    async ({}, use, workerInfo) => {
      await use(await adminStorageState(baseUrlOf(workerInfo.project.use.baseURL)));
      await disconnectHeraldDatabase();
    },
    { scope: 'worker' },
  ],
  storageState: ({ adminState }, use) => use(adminState),

  herald: [
    async ({ playwright }, use, workerInfo) => {
      const client = await createE2eApiClient(`e2e fixtures (worker ${workerInfo.workerIndex})`);
      const api = await HeraldApi.connect(
        (options) => playwright.request.newContext(options),
        baseUrlOf(workerInfo.project.use.baseURL),
        client,
      );
      await use(api);
      await api.dispose();
    },
    { scope: 'worker' },
  ],

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern
  receiver: async ({}, use) => {
    const receiver = await new Receiver(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"received":true}',
    })).start();
    await use(receiver);
    await receiver.close();
  },

  webhookInput: [{}, { option: true }],
  webhook: async ({ herald, receiver, webhookInput }, use) => {
    const webhook = await herald.createWebhook({
      label: 'Product feed',
      events: [SNAPSHOT_PUBLISHED],
      handlers: [`${receiver.url}/hook`],
      ...webhookInput,
    });
    await use(webhook);
    await herald.deleteWebhook(webhook.id);
  },
});

export { expect };

function baseUrlOf(baseURL: string | undefined): string {
  if (!baseURL) throw new Error('the e2e projects need use.baseURL');
  return baseURL;
}

/** Opens a webhook's editor once it is live (hydrated): its save button is enabled then. */
export async function openEditor(page: Page, webhookId: string): Promise<void> {
  await page.goto(`/webhooks/${webhookId}`);
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeEnabled();
}

export async function saveChanges(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'Webhook saved' })).toBeVisible();
  await expect(page.getByText('All changes saved')).toBeVisible();
}

/** "Send test event" with the first sample of the first trigger; resolves on the delivery's page. */
export async function sendTestEvent(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Send test event' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Send test event' });
  await expect(dialog.getByLabel('Trigger')).toHaveValue(SNAPSHOT_PUBLISHED);
  await dialog.getByRole('button', { name: 'Send event' }).click();
  await expect(page).toHaveURL(/\/activity\/[0-9a-f-]{36}$/);
}
