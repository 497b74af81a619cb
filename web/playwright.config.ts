import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH_OPTIONS } from '../scripts/dev/chromium';

const PORT = Number(process.env.PORT ?? 4000);
const BASE_URL = `http://127.0.0.1:${PORT}`;

/**
 * End-to-end: real Chromium (Debian's, at /usr/bin/chromium: Playwright cannot download browsers
 * here) against the whole system started by e2e/serve.ts on the test stack. One worker: the
 * scenarios share one system on a 2-core machine. E2E_REUSE_SERVER=1 runs against an already
 * running system (e.g. `npm start`) instead, for quick iteration.
 */
export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.e2e.ts',
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  outputDir: 'test-results',
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 15_000,
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
  },
  webServer: {
    command: 'node --import tsx e2e/serve.ts',
    url: `${BASE_URL}/health/ready`,
    timeout: 300_000,
    reuseExistingServer: process.env.E2E_REUSE_SERVER === '1',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
