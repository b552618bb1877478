import { defineConfig } from '@playwright/test';

export const E2E_PORTAL_PORT = 3100;
// The same build under `next start` (route-handler transport), for the MLflow UI suite.
export const E2E_NEXT_START_PORT = 3101;

// Debian's Chromium; Playwright's own browser download cannot work offline.
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  forbidOnly: true,
  reporter: [['list']],
  globalSetup: './tests/e2e/global-setup.ts',
  outputDir: 'test-results/e2e',
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORTAL_PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
  projects: [
    { name: 'custom-server' },
    { name: 'next-start', testMatch: 'mlflow-ui.spec.ts', use: { baseURL: `http://127.0.0.1:${E2E_NEXT_START_PORT}` } },
  ],
});
