import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { DATA_DIR, STORAGE_STATE } from '../playwright.config';
import { ADMIN, snap } from './support';

/**
 * The code `npm start` printed ("Setup code: …"), as e2e/serve-herald.mjs noted it; for a Herald
 * started elsewhere (HERALD_E2E_BASE_URL), HERALD_E2E_SETUP_CODE.
 */
function printedSetupCode(): string {
  if (process.env.HERALD_E2E_SETUP_CODE) return process.env.HERALD_E2E_SETUP_CODE;
  const file = path.join(DATA_DIR, 'e2e-setup-code.txt');
  if (!existsSync(file)) throw new Error(`Herald printed no setup code (expected ${file})`);
  return readFileSync(file, 'utf8').trim();
}

async function fillSetup(page: Page, code: string, confirm = ADMIN.password): Promise<void> {
  await page.getByLabel('Setup code').fill(code);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Confirm password').fill(confirm);
  await page.getByRole('button', { name: 'Create admin account' }).click();
}

test('first run: claim with the printed setup code, sign out, sign in', async ({ page }) => {
  const code = printedSetupCode();
  expect(code).toMatch(/^[A-Za-z0-9-]{6,}$/);

  await page.goto('/');
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole('heading', { name: 'Welcome to Herald' })).toBeVisible();
  await snap(page, 'setup-1280');

  // A wrong code is refused beside its field, and nothing is created.
  await fillSetup(page, 'WRNG-CODE-2345');
  await expect(page.locator('#setupCode-error')).toContainText('does not match');
  await expect(page.getByLabel('Setup code')).toHaveAttribute('aria-invalid', 'true');
  // Kept as typed, to be corrected rather than retyped.
  await expect(page.getByLabel('Setup code')).toHaveValue('WRNG-CODE-2345');

  // Passwords that differ are caught before anything is sent; the code typed stays.
  await fillSetup(page, code, `${ADMIN.password}!`);
  await expect(page.locator('#confirm-error')).toHaveText('does not match the password');
  await expect(page.getByLabel('Setup code')).toHaveValue(code);

  await fillSetup(page, code);
  // The hub's own page, whose server actions (sign out below) answer.
  await expect(page).toHaveURL(/\/hubs\/[^/]+\/webhooks$/);
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  await expect(page.getByText('No webhooks yet')).toBeVisible();
  await snap(page, 'webhooks-empty-1280');

  // Setup is a one-time page now.
  await page.goto('/setup');
  await expect(page).toHaveURL(/\/webhooks$/);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/webhooks');
  await expect(page).toHaveURL(/\/login\?next=%2Fwebhooks$/);

  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Email or password is wrong')).toBeVisible();
  await snap(page, 'login-1280');

  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/hubs\/[^/]+\/webhooks$/);
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  const cookies = await page.context().cookies();
  const session = cookies.find((cookie) => cookie.name === 'herald_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Lax');
  // HERALD_SECURE_COOKIES is not set: an X-Forwarded-Proto a client sends does not decide it.
  expect(session?.secure).toBe(false);
  await page.context().storageState({ path: STORAGE_STATE });
});

test('failed sign-ins slow down, whatever X-Forwarded-For the client claims', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/login');
  const email = `intruder-${Date.now()}@example.com`;
  const signIn = async (attempt: number) => {
    // Each guess claims to come from somewhere else; Herald does not trust the header by default.
    await page.setExtraHTTPHeaders({
      'X-Forwarded-For': `198.51.100.${attempt}`,
      'X-Real-IP': `198.51.100.${attempt}`,
    });
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(`guess number ${attempt}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // The form clears the password once the server has answered.
    await expect(page.getByLabel('Password')).toHaveValue('');
  };
  for (let attempt = 1; attempt <= 5; attempt++) {
    await signIn(attempt);
    await expect(page.getByText('Email or password is wrong')).toBeVisible();
  }
  await signIn(6);
  await expect(page.getByText(/Too many failed sign-ins\. Try again in \d+ (seconds?|minutes?)\./)).toBeVisible();
  await context.close();
});

test('the health check answers without a login', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ status: 'ok', database: 'ok' });
});
