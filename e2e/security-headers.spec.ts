import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Browser security headers on the admin pages, and Monaco still working under the policy. */

function directives(policy: string | undefined): Map<string, string[]> {
  return new Map(
    (policy ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words): words is [string, ...string[]] => Boolean(words[0]))
      .map(([name, ...values]) => [name, values]),
  );
}

test('admin pages send a nonce-based CSP that forbids framing, nosniff and a Referrer-Policy', async ({ page }) => {
  const nonces = new Set<string>();
  for (const url of ['/webhooks', '/events', '/settings']) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(200);
    const headers = response?.headers() ?? {};
    const policy = directives(headers['content-security-policy']);
    expect(policy.get('frame-ancestors'), url).toEqual(["'none'"]);
    expect(policy.get('object-src'), url).toEqual(["'none'"]);
    const scripts = policy.get('script-src') ?? [];
    expect(scripts, url).toContain("'strict-dynamic'");
    expect(scripts, url).not.toContain("'unsafe-inline'");
    expect(scripts, url).not.toContain("'unsafe-eval'");
    const nonce = scripts.find((source) => source.startsWith("'nonce-"));
    expect(nonce, url).toBeDefined();
    nonces.add(nonce ?? '');
    expect(headers['x-content-type-options'], url).toBe('nosniff');
    expect(headers['referrer-policy'], url).toBe('same-origin');
    expect(headers['x-frame-options'], url).toBe('DENY');
  }
  // A nonce per response.
  expect(nonces.size).toBe(3);
  // The sign-in page too, signed in or not.
  const login = await page.request.get('/login', { maxRedirects: 0 });
  expect(directives(login.headers()['content-security-policy']).get('frame-ancestors')).toEqual(["'none'"]);
  expect(login.headers()['x-content-type-options']).toBe('nosniff');
});

/** Collects what the browser reports about blocked content (and script errors) on this page. */
async function watchViolations(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Could not create web worker|Refused to/i.test(text)) problems.push(text);
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return problems;
}

test('the page for an unknown address runs its scripts under the policy too', async ({ page }) => {
  const problems = await watchViolations(page);
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  expect(directives(response?.headers()['content-security-policy']).get('frame-ancestors')).toEqual(["'none'"]);
  await expect(page.getByText('Page not found')).toBeVisible();
  await page.getByRole('link', { name: 'Go to webhooks' }).click();
  await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
  expect(problems).toEqual([]);
});

test('Monaco loads, starts its worker and edits under the policy, with no violation', async ({ page }) => {
  const problems = await watchViolations(page);
  await page.goto('/webhooks/new');
  await expect(page.getByRole('button', { name: 'Create webhook' })).toBeEnabled();
  await page.getByRole('radio', { name: /^Custom/ }).check();
  const editor = page.getByTestId('template-editor');
  await expect(editor.locator('.monaco-editor')).toBeVisible();
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText('{"id": "{{payload.id}}"}');
  await expect(editor.locator('.view-lines')).toContainText('{{payload.id}}');
  // Tokenised by the handlebars grammar: its colours come from a <style> Monaco writes at run time.
  await expect(editor.locator('.view-lines span[class*="mtk"]').nth(1)).toBeVisible();
  const colours = await editor
    .locator('.view-lines span[class*="mtk"]')
    .evaluateAll((spans) => new Set(spans.map((span) => getComputedStyle(span).color)).size);
  expect(colours).toBeGreaterThan(1);
  // Its editor worker (a blob: URL) runs in a worker, not the fallback on the main thread.
  await expect.poll(() => page.workers().length).toBeGreaterThan(0);
  expect(problems).toEqual([]);
});
