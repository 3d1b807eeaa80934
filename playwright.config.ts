import { defineConfig } from '@playwright/test';

// Browser tests drive the system Chromium (never a downloaded browser) against the built app
// served by the real relay. One worker: each test launches its own Chromium with its own fake
// microphone file, and these machines have two cores.
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  retries: 0,
  reporter: [['list']],
  globalSetup: './e2e/support/global-setup.ts',
  use: { trace: 'retain-on-failure' },
});
