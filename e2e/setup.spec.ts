import { expect, test } from '@playwright/test';
import { STORAGE_STATE } from '../playwright.config';
import { ADMIN, snap } from './support';

test('first run: set up the admin, sign out, sign in', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole('heading', { name: 'Welcome to Herald' })).toBeVisible();
  await snap(page, 'setup-1280');

  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Confirm password').fill(`${ADMIN.password}!`);
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await expect(page.getByText('The passwords differ')).toBeVisible();

  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Confirm password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  await expect(page.getByText('No webhooks yet')).toBeVisible();
  await snap(page, 'webhooks-empty-1280');

  // Setup is a one-time page now.
  await page.goto('/setup');
  await expect(page).toHaveURL(/\/webhooks$/);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/webhooks');
  await expect(page).toHaveURL(/\/login$/);

  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Email or password is wrong')).toBeVisible();
  await snap(page, 'login-1280');

  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === 'herald_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Lax');
  await page.context().storageState({ path: STORAGE_STATE });
});

test('failed sign-ins are rate-limited', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  const email = `intruder-${Date.now()}@example.com`;
  const signIn = async (password: string) => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The form clears the password once the server has answered.
    await expect(page.getByLabel('Password')).toHaveValue('');
  };
  for (let attempt = 1; attempt <= 5; attempt++) {
    await signIn(`guess number ${attempt}`);
    await expect(page.getByText('Email or password is wrong')).toBeVisible();
  }
  await signIn('guess number 6');
  await expect(page.getByText(/Too many failed sign-ins\. Try again in \d+ minutes?/)).toBeVisible();
  await context.close();
});

test('the health check answers without a login', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'ok', database: 'ok' });
});
