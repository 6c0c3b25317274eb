import type { Browser, Page, TestInfo } from '@playwright/test';
import { createE2eInvite, createE2eUser } from './admin-session';
import { expect, test } from './fixtures';
import { snap } from './support';

/**
 * What a person meets around signing in: the page after sign-in is the hub's own (its server
 * actions work: sign out, turning a webhook off), a deep link survives the sign-in page and no
 * `next` leads off-site, a Viewer is told a page is not theirs, the invitation form keeps what was
 * typed, and the error page blames the database only when the database is the cause.
 */

const PASSWORD = 'a long enough password';

// Each test signs in through the form, some more than once: password hashing is slow by design.
test.describe.configure({ timeout: 180_000 });

async function signedOutPage(browser: Browser, testInfo: TestInfo, width = 1280): Promise<Page> {
  // Without a storage state of its own, a new context would take the signed-in admin's from the fixtures.
  const context = await browser.newContext({
    storageState: { cookies: [], origins: [] },
    baseURL: testInfo.project.use.baseURL ?? '',
    viewport: { width, height: 900 },
  });
  return context.newPage();
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const hubPage = (hubId: string, rest = '') => new RegExp(`/hubs/${hubId}/webhooks${rest}$`);

test('after signing in, the URL is the hub’s page, where turning a webhook off and signing out work', async ({
  browser,
  herald,
  webhook,
}, testInfo) => {
  const owner = await createE2eUser('Owner', PASSWORD);
  const page = await signedOutPage(browser, testInfo);
  await page.goto('/login');
  await signIn(page, owner.email);
  await expect(page).toHaveURL(hubPage(herald.hubId));
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();

  // A server action from the landing page: the switch's, answered by the hub's page (not a 405).
  const toggle = page.getByRole('switch', { name: `${webhook.label}: active` }).first();
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await toggle.click();
  await expect(page.getByTestId('toast').filter({ hasText: `${webhook.label} is off` })).toBeVisible();
  await expect(page.getByText('Something went wrong')).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('switch', { name: `${webhook.label}: active` }).first()).toHaveAttribute(
    'aria-checked',
    'false',
  );

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto(`/hubs/${herald.hubId}/webhooks`);
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.context().close();
});

test('a deep link survives signing in; a `next` that leaves Herald is ignored', async ({
  browser,
  herald,
  webhook,
}, testInfo) => {
  const owner = await createE2eUser('Owner', PASSWORD);
  const page = await signedOutPage(browser, testInfo);
  const deep = `/hubs/${herald.hubId}/webhooks/${webhook.id}/activity?status=FAILED`;
  await page.goto(deep);
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent(deep)}`);
  await snap(page, 'login-deep-link-1280');
  await signIn(page, owner.email);
  await expect(page).toHaveURL(deep);
  await expect(page.getByRole('heading', { name: 'Recent deliveries' })).toBeVisible();

  // The links in notification emails name the hub; older hub-less ones still land on the hub's page.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(`/webhooks/${webhook.id}`);
  await expect(page).toHaveURL(`/login?next=${encodeURIComponent(`/webhooks/${webhook.id}`)}`);
  await signIn(page, owner.email);
  await expect(page).toHaveURL(hubPage(herald.hubId, `/${webhook.id}`));
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeVisible();

  // Signed in, /login sends on to `next` only when it is a path of this Herald.
  for (const next of ['//evil.example/x', '/\\evil.example', 'https://evil.example/', '/\t/evil.example']) {
    await page.goto(`/login?next=${encodeURIComponent(next)}`);
    await expect(page).toHaveURL(hubPage(herald.hubId));
  }
  // And the form's own `next`, signed out: a forged one is dropped, the sign-in lands on the hub.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(`/login?next=${encodeURIComponent('//evil.example/x')}`);
  await expect(page.locator('input[name="next"]')).toHaveCount(0);
  await page.evaluate(() => {
    const input = Object.assign(document.createElement('input'), { type: 'hidden', name: 'next' });
    input.value = 'https://evil.example/';
    document.querySelector('form')?.append(input);
  });
  await signIn(page, owner.email);
  await expect(page).toHaveURL(hubPage(herald.hubId));
  await page.context().close();
});

test('a Viewer on an Owner’s or Admin’s page is told their role cannot, not that it does not exist', async ({
  browser,
  herald,
}, testInfo) => {
  const viewer = await createE2eUser('Viewer', PASSWORD);
  const page = await signedOutPage(browser, testInfo);
  await page.goto('/users');
  await signIn(page, viewer.email);
  await expect(page).toHaveURL(/\/users$/);
  const refusals: [string, string][] = [
    ['/users', 'Your role (Viewer) cannot manage users'],
    [`/hubs/${herald.hubId}/audit-log`, 'Your role (Viewer) cannot read the audit log'],
    [`/hubs/${herald.hubId}/webhooks/new`, 'Your role (Viewer) cannot create or change webhooks'],
  ];
  for (const [path, refusal] of refusals) {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: refusal })).toBeVisible();
    await expect(page.getByText('does not exist')).toHaveCount(0);
  }
  await snap(page, 'viewer-refused-1280');
  await page.goto(`/hubs/${herald.hubId}/settings`);
  await expect(page.getByRole('note')).toHaveText(
    'Your role (Viewer) cannot create or revoke API clients: Owners and Admins can.',
  );
  // What really is not there still says so.
  await page.goto(`/hubs/${herald.hubId}/webhooks/nosuchwebhook`);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await page.context().close();
});

test('the invitation form keeps the name after a refusal and checks the passwords before sending', async ({
  browser,
}, testInfo) => {
  const { email, token } = await createE2eInvite('Editor');
  const page = await signedOutPage(browser, testInfo);
  await page.goto(`/invite/${token}`);
  await expect(page.getByRole('heading', { name: 'Join Herald' })).toBeVisible();
  let sent = 0;
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.headers()['next-action']) sent++;
  });

  await page.getByLabel('Your name').fill('Ines Invitee');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(`${PASSWORD}!`);
  await page.getByRole('button', { name: 'Join Herald' }).click();
  await expect(page.locator('#confirm-error')).toHaveText('does not match the password');
  await expect(page.getByLabel('Confirm password')).toBeFocused();
  expect(sent).toBe(0);

  // Another invitation for the address replaces this link meanwhile: the server refuses it.
  await createE2eInvite('Editor', email);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Join Herald' }).click();
  await expect(page.getByText('This invitation link is not valid')).toBeVisible();
  expect(sent).toBe(1);
  await expect(page.getByLabel('Your name')).toHaveValue('Ines Invitee');
  await snap(page, 'invite-refused-1280');
  await page.context().close();
});

test('the error page blames the database only when the health check says it is unreachable', async ({
  page,
  herald,
  webhook,
}) => {
  await page.goto(`/hubs/${herald.hubId}/webhooks`);
  // A server action answered 405, as the hub-less /webhooks answered every one.
  await page.route(`**/hubs/${herald.hubId}/webhooks`, (route) =>
    route.request().method() === 'POST' && route.request().headers()['next-action']
      ? route.fulfill({ status: 405, body: '' })
      : route.continue(),
  );
  await page
    .getByRole('switch', { name: `${webhook.label}: active` })
    .first()
    .click();
  const explanation = page.getByTestId('error-explanation');
  await expect(explanation).toHaveText(/could not load this page or finish what you asked/);
  await expect(page.getByRole('alert').filter({ hasText: 'Something went wrong' })).not.toContainText('database');
  await snap(page, 'error-page-1280');
});
