import { mkdirSync } from 'node:fs';
import { test as base, type Page } from '@playwright/test';
import { LoginPage } from './pages/login-page';

/**
 * Screenshots go to docs/screenshots with UPDATE_SCREENSHOTS=1 (committed), else to test-results.
 * Modals are shot as the viewport: a full-page shot shows the backdrop covering only part of it.
 */
export async function saveScreenshot(page: Page, name: string, { fullPage = true } = {}) {
  const dir = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage });
}

/** A demo user's Descope session JWT, straight from the emulator: for seeding through the portal's API. */
export async function emulatorSessionJwt(emulatorUrl: string, loginId: string): Promise<string> {
  const response = await fetch(`${emulatorUrl}/emulator/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ loginId }),
  });
  if (!response.ok) throw new Error(`emulator session for ${loginId}: ${response.status}`);
  return ((await response.json()) as { sessionJwt: string }).sessionJwt;
}

export async function signIn(page: Page, loginId: string, path = '/') {
  await page.goto(path);
  await new LoginPage(page).signInAs(loginId);
  await page.waitForURL((url) => !url.pathname.startsWith('/auth/login'));
}

export const test = base.extend<{ loginPage: LoginPage }>({
  loginPage: async ({ page }, use) => {
    await use(new LoginPage(page));
  },
});
export { expect } from '@playwright/test';
