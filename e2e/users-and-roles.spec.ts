import type { Browser, Page } from '@playwright/test';
import { expect, openEditor, saveChanges, sendTestEvent, test } from './fixtures';
import { ADMIN, snap } from './support';

/**
 * Users and roles, end to end: the Owner invites an Editor and a Viewer through the Users page,
 * both accept their links; the Editor edits and tests the webhook; the Viewer can open a delivery
 * but is given no secret and no edit controls, and a server action forged from the Viewer's
 * browser (the real action id, taken from the Editor's save) is refused; the audit log names
 * who did each step.
 */

const PASSWORD = 'a long enough password';

/** Creates an invitation on the Users page and returns its one-time link. */
async function invite(page: Page, email: string, role: 'Editor' | 'Viewer'): Promise<string> {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByRole('button', { name: 'Create invitation' }).click();
  const link = page.getByTestId('invite-link');
  await expect(link).toContainText('/invite/');
  await expect(page.getByText(`Invitation for ${email} (${role}) created`)).toBeVisible();
  return (await link.textContent()) ?? '';
}

/** A browser of its own (no session) that opens the link and joins. */
async function accept(browser: Browser, baseURL: string, link: string, name: string, role: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(new URL(link).pathname);
  await expect(page.getByRole('heading', { name: 'Join Herald' })).toBeVisible();
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Join Herald' }).click();
  await expect(page.getByRole('heading', { name: 'Webhooks' })).toBeVisible();
  await expect(page.getByTestId('current-role')).toHaveText(role);
  return page;
}

test('an Owner invites an Editor and a Viewer; the Viewer reads without secrets or edit controls', async ({
  page,
  browser,
  herald,
  webhook,
}, testInfo) => {
  const baseURL = testInfo.project.use.baseURL ?? '';
  const stamp = Date.now();
  const editorEmail = `editor-${stamp}@example.com`;
  const viewerEmail = `viewer-${stamp}@example.com`;

  // The Owner invites both through the UI.
  await page.goto('/users');
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  const editorLink = await invite(page, editorEmail, 'Editor');
  const viewerLink = await invite(page, viewerEmail, 'Viewer');
  await page.reload();
  await expect(page.getByRole('region', { name: 'Pending invitations' })).toContainText(viewerEmail);

  const editor = await accept(browser, baseURL, editorLink, 'Edie Editor', 'Editor');
  const viewer = await accept(browser, baseURL, viewerLink, 'Vic Viewer', 'Viewer');
  await page.reload();
  await expect(page.getByTestId(`user-${viewerEmail}`)).toContainText('Vic Viewer');
  await expect(page.getByLabel(`Role of ${editorEmail}`)).toHaveValue('Editor');
  await snap(page, 'users-1280');
  // A link works once.
  await viewer.goto(new URL(viewerLink).pathname);
  await expect(viewer.getByText('This invitation has already been used')).toBeVisible();

  // The Editor edits the webhook (the save's server action is recorded for the forgery below)...
  let actionId = '';
  let actionBody = '';
  editor.on('request', (request) => {
    const id = request.headers()['next-action'];
    if (id && request.method() === 'POST' && (request.postData() ?? '').includes('"patch"')) {
      actionId = id;
      actionBody = request.postData() ?? '';
    }
  });
  await openEditor(editor, webhook.id);
  await editor.getByLabel('Label', { exact: true }).fill('Product feed (edited)');
  await saveChanges(editor);
  expect(actionId).not.toBe('');
  // ...and sends a test event, which makes the delivery the Viewer opens.
  await sendTestEvent(editor);
  const deliveryPath = new URL(editor.url()).pathname;

  // The Viewer: the webhook read-only, no secret anywhere in what the server sent.
  const secret = webhook.secret ?? '';
  expect(secret).toHaveLength(128);
  await viewer.goto(`/webhooks/${webhook.id}`);
  await expect(viewer.getByTestId('webhook-summary')).toContainText('Product feed (edited)');
  await expect(viewer.getByText('Hidden: your role cannot see secrets.')).toBeVisible();
  for (const control of ['Save changes', 'Send test event', 'Delete webhook', 'Regenerate']) {
    await expect(viewer.getByRole('button', { name: control })).toHaveCount(0);
  }
  await expect(viewer.getByRole('switch')).toHaveCount(0);
  expect(await viewer.content()).not.toContain(secret);
  await snap(viewer, 'viewer-webhook-1280');

  await viewer.goto(deliveryPath);
  await expect(viewer.getByTestId('delivery-status')).toBeVisible();
  await expect(viewer.getByRole('button', { name: /Redeliver/ })).toHaveCount(0);
  expect(await viewer.content()).not.toContain(secret);
  await viewer.goto(`/hubs/${herald.hubId}/webhooks`);
  await expect(viewer.getByRole('link', { name: 'Create webhook' })).toHaveCount(0);
  await expect(viewer.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(viewer.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  await snap(viewer, 'viewer-webhooks-1280');

  // A forged call of the real update action from the Viewer's browser: refused by the server.
  const forged = actionBody.replace('Product feed (edited)', 'Forged by the viewer');
  expect(forged).toContain('Forged by the viewer');
  const answer = await viewer.evaluate(
    async ({ id, body, path }) => {
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'Next-Action': id, 'Content-Type': 'text/plain;charset=UTF-8', Accept: 'text/x-component' },
        body,
      });
      return { status: response.status, text: await response.text() };
    },
    { id: actionId, body: forged, path: `/hubs/${herald.hubId}/webhooks/${webhook.id}` },
  );
  expect(answer.text).toContain('Your role (Viewer) does not allow this (webhooks:write)');
  expect((await herald.getWebhook(webhook.id)).label).toBe('Product feed (edited)');

  // The Owner's audit log: each step with its actor, and nothing from the forgery.
  await page.goto(`/hubs/${herald.hubId}/audit-log`);
  const rows = page.getByTestId('audit-entry');
  const row = (action: string, actor: string) =>
    rows.filter({ has: page.getByTestId('audit-action').getByText(action, { exact: true }) }).filter({
      has: page.getByTestId('audit-actor').getByText(actor, { exact: true }),
    });
  await expect(row('User invited', ADMIN.email)).toHaveCount(2);
  await expect(row('Invitation accepted', editorEmail)).toHaveCount(1);
  await expect(row('Invitation accepted', viewerEmail)).toHaveCount(1);
  await expect(row('Webhook updated', editorEmail)).toHaveCount(1);
  await expect(row('Test event sent', editorEmail)).toHaveCount(1);
  await expect(
    rows
      .filter({ has: page.getByTestId('audit-action').getByText('Webhook created', { exact: true }) })
      .filter({ has: page.getByTestId('audit-actor').getByText(/^e2e fixtures/) }),
  ).not.toHaveCount(0);
  await expect(page.getByText('Forged by the viewer')).toHaveCount(0);
  await expect(page.getByTestId('audit-actor').getByText(viewerEmail, { exact: true })).toHaveCount(1);

  // Filtered by the Editor: only their steps.
  await page.getByLabel('Actor').selectOption({ label: editorEmail });
  await expect(page).toHaveURL(/actor=/);
  await expect(rows.filter({ hasNot: page.getByTestId('audit-actor').getByText(editorEmail) })).toHaveCount(0);
  await page.getByLabel('Actor').selectOption({ label: 'Anyone' });
  await expect(page).not.toHaveURL(/actor=/);
  await snap(page, 'audit-log-1280', { fullPage: false });

  await editor.context().close();
  await viewer.context().close();
});
