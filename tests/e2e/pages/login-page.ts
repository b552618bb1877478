import { expect, type Page } from '@playwright/test';

export class LoginPage {
  constructor(private readonly page: Page) {}

  async expectShown(next?: string) {
    await expect(this.page).toHaveURL(next ? `/auth/login?next=${encodeURIComponent(next)}` : /\/auth\/login/);
    await expect(this.page.getByRole('heading', { name: 'Sign in to MLflow' })).toBeVisible();
  }

  async signInAs(loginId: string) {
    await this.page.getByRole('button', { name: new RegExp(loginId.replace('.', '\\.')) }).click();
  }

  error() {
    return this.page.getByRole('alert');
  }
}
