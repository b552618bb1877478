import { defineConfig } from '@playwright/test';

// Fixed so screenshots and snippets show one URL; PORTAL_E2E_PORT moves it when 3100 is taken.
export const E2E_PORTAL_PORT = e2ePortalPort(process.env.PORTAL_E2E_PORT);
// The same build under `next start` (route-handler transport), for the MLflow UI suite: the next port.
export const E2E_NEXT_START_PORT = E2E_PORTAL_PORT + 1;

function e2ePortalPort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3100;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65_534)
    throw new Error(`PORTAL_E2E_PORT is invalid (${JSON.stringify(raw)}): use a port number between 1 and 65534`);
  return port;
}

// Debian's Chromium; Playwright's own browser download cannot work offline.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

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
  projects: [{ name: 'custom-server' }, { name: 'next-start', testMatch: 'mlflow-ui.spec.ts', use: { baseURL: `http://127.0.0.1:${E2E_NEXT_START_PORT}` } }],
});
