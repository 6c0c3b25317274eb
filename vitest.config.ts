import path from 'node:path';
import { defineConfig } from 'vitest/config';

const alias = { '@': path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'lib/**/*.test.ts'],
          environment: 'node',
          // Render threads start, run out of time or memory, and are replaced: seconds each on a
          // busy two-core machine.
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: ['tests/integration/noisy-neighbours.test.ts', 'tests/integration/rate-limit.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          setupFiles: ['tests/support/integration-env.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: each file has its own database, two at a time keeps timing-sensitive
          // delivery tests honest.
          maxWorkers: 2,
          fileParallelism: true,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          // Judged by timing: a good webhook's latency beside bad neighbours, and when a rate-limited
          // webhook's requests start (a rate limit is kept when requests are claimed; a process other
          // test files stall for half a second then starts what it claimed together). Alone, after
          // the rest of the integration tests, so another test file's load is not what they measure.
          name: 'isolation',
          include: ['tests/integration/noisy-neighbours.test.ts', 'tests/integration/rate-limit.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          setupFiles: ['tests/support/integration-env.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
