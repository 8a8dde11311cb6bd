import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../harness/chromium';

/**
 * End-to-end: the production renderer bundle in Debian's Chromium, the real console
 * host (replica worker) and a real hub on 127.0.0.1, through the e2e harness
 * (tests/harness/console.ts). `npm run test:e2e` builds first.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: '../../test-results/e2e',
  // 2 cores: each test runs a hub, one or two replica workers and Chromium.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['html', { outputFolder: '../../playwright-report', open: 'never' }]],
  use: {
    // Each test also saves named screenshots of its key moments (see fixtures.ts).
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions(true),
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});
