import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };

const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');

/**
 * Saves a screenshot under e2e/screenshots/ (gitignored): the full page, or with `fullPage: false`
 * what the viewport shows, for dialogs, menus and sections the sticky save bar would cover in a
 * full-page shot (it is drawn where the viewport's bottom was).
 */
export async function snap(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: options.fullPage ?? true });
}
