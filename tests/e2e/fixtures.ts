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
