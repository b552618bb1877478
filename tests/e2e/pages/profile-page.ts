import { expect, type Locator, type Page } from '@playwright/test';

/** /profile: identity, access, and the user's own access keys. */
export class ProfilePage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto('/profile');
    await expect(this.page.getByRole('heading', { name: 'Your profile' })).toBeVisible();
  }

  /** `onlyRoles`: tick these under "Limit to roles" (a scoped key). */
  async createKey(name: string, expires = 'In 30 days', onlyRoles: string[] = []) {
    await this.page.getByLabel('Key name').fill(name);
    await this.page.getByLabel('Expires').selectOption({ label: expires });
    for (const role of onlyRoles) await this.page.getByRole('group', { name: 'Limit to roles (optional)' }).getByLabel(role).check();
    await this.page.getByRole('button', { name: 'Create key' }).click();
    await expect(this.newKeyDialog()).toBeVisible();
  }

  newKeyDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Your new access key' });
  }

  async newKey(): Promise<string> {
    const key = (await this.newKeyDialog().getByTestId('new-access-key').textContent())?.trim();
    if (!key) throw new Error('the new-key dialog shows no key');
    return key;
  }

  snippet(): Locator {
    return this.newKeyDialog().getByTestId('new-key-snippet');
  }

  async closeNewKeyDialog() {
    await this.newKeyDialog().getByRole('button', { name: 'Done, I have copied it' }).click();
    await expect(this.newKeyDialog()).toBeHidden();
  }

  keyRow(name: string): Locator {
    return this.page.getByTestId('access-keys').getByRole('row').filter({ hasText: name });
  }

  async revokeKey(name: string) {
    await this.page.getByRole('button', { name: `Revoke key ${name}` }).click();
    const confirm = this.page.getByRole('dialog', { name: `Revoke “${name}”?` });
    await expect(confirm).toBeVisible();
    await confirm.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect(confirm).toBeHidden();
  }

  status(): Locator {
    return this.page.getByTestId('access-key-status');
  }
}
