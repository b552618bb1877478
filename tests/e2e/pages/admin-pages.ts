import { expect, type Locator, type Page } from '@playwright/test';

/** /admin: the user directory with search, paging, roles and recent changes. */
export class AdminUsersPage {
  constructor(private readonly page: Page) {}

  async goto(query = '') {
    await this.page.goto(query ? `/admin?q=${encodeURIComponent(query)}` : '/admin');
    await expect(this.page.getByRole('heading', { name: 'Admin', level: 1 })).toBeVisible();
  }

  async search(text: string) {
    await this.page.getByLabel('Search users').fill(text);
    await this.page.getByRole('button', { name: 'Search' }).click();
    await expect(this.page).toHaveURL(`/admin?q=${encodeURIComponent(text).replace(/%20/g, '+')}`);
  }

  table(): Locator {
    return this.page.getByTestId('users-table');
  }

  async openUser(name: string) {
    await this.page.getByRole('link', { name: `Manage roles of ${name}` }).click();
    await expect(this.page.getByRole('heading', { name, level: 1 })).toBeVisible();
  }

  recentChanges(): Locator {
    return this.page.getByTestId('recent-changes');
  }
}

/** /admin/users/<loginId>: one user's roles per scope, with add and remove. */
export class AdminUserPage {
  constructor(private readonly page: Page) {}

  async goto(loginId: string, name: string) {
    await this.page.goto(`/admin/users/${encodeURIComponent(loginId)}`);
    await expect(this.page.getByRole('heading', { name, level: 1 })).toBeVisible();
  }

  async addRole(role: string, scope = 'The whole project') {
    await this.page.getByLabel('Role', { exact: true }).selectOption(role);
    await this.page.getByLabel('Applies to').selectOption({ label: scope });
    await this.page.getByRole('button', { name: 'Add role' }).click();
  }

  /** The × next to a role, then "Remove role" in the confirmation it asks for. */
  async removeRole(role: string, where = 'project-wide') {
    await this.page.getByRole('button', { name: `Remove ${role} ${where}` }).click();
    const confirm = this.removeRoleDialog();
    await expect(confirm).toBeVisible();
    await confirm.getByRole('button', { name: 'Remove role' }).click();
    await expect(confirm).toBeHidden();
  }

  removeRoleDialog(): Locator {
    return this.page.getByRole('dialog', { name: /^Remove .+ from .+\?$/ });
  }

  keyRow(name: string): Locator {
    return this.page.getByTestId('access-keys').getByRole('row').filter({ hasText: name });
  }

  async revokeKey(name: string) {
    await this.page.getByRole('button', { name: `Revoke key ${name}` }).click();
    const confirm = this.page.getByRole('dialog', { name: `Revoke “${name}”?` });
    await confirm.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect(confirm).toBeHidden();
  }

  async disableUser(name: string) {
    await this.page.getByRole('button', { name: 'Disable user' }).click();
    const confirm = this.page.getByRole('dialog', { name: `Disable ${name}?` });
    await expect(confirm).toBeVisible();
    await confirm.getByRole('button', { name: 'Disable user' }).click();
    await expect(confirm).toBeHidden();
  }

  roleButton(role: string, where = 'project-wide'): Locator {
    return this.page.getByRole('button', { name: `Remove ${role} ${where}` });
  }

  status(): Locator {
    return this.page.getByTestId('role-change-status');
  }

  permission(): Locator {
    return this.page.getByRole('region', { name: 'Roles' }).getByTestId('mlflow-permission');
  }

  selfDemotionDialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Remove your own admin access?' });
  }
}
