import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery' };

const SCREENSHOTS = path.join(import.meta.dirname, 'screenshots');

/** Saves a full-page screenshot under e2e/screenshots/ (gitignored). */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
