import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * e2e against Herald started the way `npm start` starts it: embedded PostgreSQL in a fresh data
 * directory, migrations, `next build` when sources changed, Herald's web server and the delivery worker.
 * HERALD_E2E_BASE_URL points the tests at a Herald that is already running (fresh database) instead,
 * with HERALD_E2E_DATABASE_URL naming its (local) database for the fixtures (e2e/admin-session.ts).
 */
const PORT = Number(process.env.HERALD_E2E_PORT ?? 3199);
const EXTERNAL = process.env.HERALD_E2E_BASE_URL;
export const DATA_DIR = path.join(os.tmpdir(), `herald-e2e-${PORT}`);
/** Written by the first-run spec; the other specs sign in through their fixtures (e2e/fixtures.ts). */
export const STORAGE_STATE = path.join(DATA_DIR, 'admin-storage-state.json');

// The main process starts from an empty data directory; test workers load this file too and must not.
if (!EXTERNAL && !process.env.TEST_WORKER_INDEX) rmSync(DATA_DIR, { recursive: true, force: true });

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    baseURL: EXTERNAL ?? `http://127.0.0.1:${PORT}`,
    viewport: { width: 1280, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium: Playwright never downloads a browser here.
      executablePath: process.env.HERALD_E2E_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    // First run needs a database without users, so it goes before anything that signs in.
    { name: 'setup', testMatch: /setup\.spec\.ts$/ },
    {
      // Each spec signs in and makes its own data through fixtures; `--no-deps` runs them alone.
      name: 'admin',
      testMatch: /\.spec\.ts$/,
      testIgnore: /setup\.spec\.ts$/,
      dependencies: ['setup'],
    },
  ],
  webServer: EXTERNAL
    ? undefined
    : {
        // npm start, through a wrapper that notes the setup code it prints for the first-run spec.
        command: 'node scripts/prisma-generate.mjs && node e2e/serve-herald.mjs',
        url: `http://127.0.0.1:${PORT}/login`,
        // The first start on a fresh checkout runs `next build`.
        timeout: 360_000,
        reuseExistingServer: false,
        stdout: 'pipe',
        stderr: 'pipe',
        gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
        env: {
          HERALD_DATA_DIR: DATA_DIR,
          PORT: String(PORT),
          DATABASE_URL: '',
          HERALD_RETRY_SCHEDULE: '0,1s,2s',
          HERALD_LOG_LEVEL: 'warn',
          NEXT_TELEMETRY_DISABLED: '1',
        },
      },
});
