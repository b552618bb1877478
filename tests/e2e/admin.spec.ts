import { test, expect, saveScreenshot, signIn } from './fixtures';
import { AdminUserPage, AdminUsersPage } from './pages/admin-pages';
import { DescopeDirectory, callServerAction, serverActionIds } from './pages/descope-directory';

const directory = () => new DescopeDirectory();
const widths = [1440, 360] as const;

test.afterEach(async () => {
  // Role changes outlive a failed test; put the demo users back for the specs that follow.
  await directory().outage(false);
  await directory().setRoles('reader@example.com', ['mlflow-reader']);
  await directory().setRoles('admin@example.com', ['admin']);
  await directory().setStatus('reader@example.com', 'enabled');
});

test('a reader sees no Admin link and is refused /admin, its pages and every admin server action', async ({ page, browser }) => {
  await signIn(page, 'reader@example.com', '/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Profile' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: /Manage access/ })).toHaveCount(0);

  for (const path of ['/admin', '/admin?q=a', '/admin/users/admin%40example.com']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByText('this page is for admins only')).toBeVisible();
  }

  const actions = serverActionIds('lib/admin/actions.ts');
  expect(Object.keys(actions).sort()).toEqual(['disableUser', 'enableUser', 'grantRole', 'revokeRole', 'revokeUserAccessKey']);
  const attempts = {
    grantRole: { loginId: 'reader@example.com', role: 'admin' },
    revokeRole: { loginId: 'admin@example.com', role: 'admin' },
    revokeUserAccessKey: { loginId: 'admin@example.com', keyId: 'K2none' },
    disableUser: { loginId: 'admin@example.com' },
    enableUser: { loginId: 'admin@example.com' },
  };
  for (const [name, id] of Object.entries(actions)) {
    const input = attempts[name as keyof typeof attempts];
    // Posted where the action lives: gate 1 answers 403 before Next runs it.
    const direct = await callServerAction(page.request, '/admin/users/reader%40example.com', id, [input]);
    expect(direct.status(), name).toBe(403);
    // Posted from a page the reader may open: Next forwards it to the action's page, refused again.
    const forwarded = await callServerAction(page.request, '/profile', id, [input]);
    expect(await forwarded.text(), name).not.toContain('"ok":true');
  }
  expect(await directory().rolesOf('reader@example.com')).toEqual(['mlflow-reader']);
  expect(await directory().rolesOf('admin@example.com')).toEqual(['admin']);
  expect(await directory().statusOf('admin@example.com')).toBe('enabled');

  // The same hand-made call from an admin's session does run: the refusals above are authorization.
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, 'admin@example.com', '/');
  const granted = await callServerAction(adminPage.request, '/admin/users/reader%40example.com', actions.grantRole, [
    { loginId: 'reader@example.com', role: 'mlflow-editor' },
  ]);
  expect(granted.status()).toBe(200);
  expect(await granted.text()).toContain('"ok":true');
  expect(await directory().rolesOf('reader@example.com')).toEqual(['mlflow-reader', 'mlflow-editor']);
  await adminContext.close();
});

test('an admin finds a user, grants mlflow-editor, the user has EDIT after a refresh, then revokes it', async ({ page, browser }) => {
  const readerContext = await browser.newContext();
  const readerPage = await readerContext.newPage();
  await signIn(readerPage, 'reader@example.com', '/');
  const permissionAfterRefresh = async () => {
    // Keep DSR, drop DS: the portal must refresh, and the refreshed session carries current roles.
    await readerContext.clearCookies({ name: 'DS' });
    const response = await readerPage.request.get('/auth/user');
    expect(response.status()).toBe(200);
    return ((await response.json()) as { mlflowPermission: string }).mlflowPermission;
  };
  expect(await permissionAfterRefresh()).toBe('READ');

  await signIn(page, 'admin@example.com', '/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  const users = new AdminUsersPage(page);
  await expect(users.table().getByRole('row')).toHaveCount(8);
  await users.search('rita');
  await expect(users.table().getByRole('row')).toHaveCount(2);
  await expect(page.getByTestId('user-count')).toHaveText('Showing 1–1 of 1');
  await users.openUser('Rita Reader');

  const user = new AdminUserPage(page);
  await user.addRole('mlflow-editor');
  await expect(user.status()).toContainText('Granted mlflow-editor (project) to Rita Reader');
  await expect(user.status()).toContainText('now EDIT');
  await expect(user.roleButton('mlflow-editor')).toBeVisible();
  await expect(user.permission()).toHaveText('EDIT');
  expect(await directory().rolesOf('reader@example.com')).toEqual(['mlflow-reader', 'mlflow-editor']);
  expect(await permissionAfterRefresh()).toBe('EDIT');
  await expect(page.getByTestId('recent-changes').first()).toContainText('granted mlflow-editor (project) to reader@example.com');

  await user.removeRole('mlflow-editor');
  await expect(user.status()).toContainText('Removed mlflow-editor (project) from Rita Reader');
  await expect(user.status()).toContainText('Their sessions were ended');
  await expect(user.roleButton('mlflow-editor')).toHaveCount(0);
  await expect(user.permission()).toHaveText('READ');
  // The removal ended Rita's sessions: her browser's next call is refused, and she signs in again as READ.
  expect((await readerPage.request.get('/auth/user')).status()).toBe(401);
  await signIn(readerPage, 'reader@example.com', '/');
  expect(await permissionAfterRefresh()).toBe('READ');

  await users.goto();
  await expect(users.recentChanges()).toContainText('removed mlflow-editor (project) from reader@example.com');
  await readerContext.close();
});

test('tenant roles are added and removed per tenant', async ({ page }) => {
  await signIn(page, 'admin@example.com', '/');
  const user = new AdminUserPage(page);
  await user.goto('tenant@example.com', 'Tess Tenant');
  await expect(user.roleButton('mlflow-editor', 'in Acme')).toBeVisible();
  await user.addRole('mlflow-reader', 'Tenant Acme');
  await expect(user.status()).toContainText('Granted mlflow-reader in tenant T-acme to Tess Tenant');
  await expect(user.roleButton('mlflow-reader', 'in Acme')).toBeVisible();
  // DESCOPE_TENANT_ID is not set in this stack, so tenant roles leave the MLflow permission at the default.
  await expect(user.permission()).toHaveText('READ');
  await user.removeRole('mlflow-reader', 'in Acme');
  await expect(user.status()).toContainText('Removed mlflow-reader in tenant T-acme from Tess Tenant');
  await expect(user.roleButton('mlflow-reader', 'in Acme')).toHaveCount(0);
  await expect(user.roleButton('mlflow-editor', 'in Acme')).toBeVisible();
});

test('an admin removing their own last admin role must confirm, and can back out', async ({ page }) => {
  await signIn(page, 'admin@example.com', '/');
  const user = new AdminUserPage(page);
  await user.goto('admin@example.com', 'Ada Admin');
  await user.removeRole('admin');
  await expect(user.selfDemotionDialog()).toBeVisible();
  await expect(user.selfDemotionDialog()).toContainText('takes away your own admin access');
  await user.selfDemotionDialog().getByRole('button', { name: 'Keep my admin role' }).click();
  await expect(user.selfDemotionDialog()).toBeHidden();
  await expect(user.status()).toHaveText('Nothing was changed.');
  expect(await directory().rolesOf('admin@example.com')).toEqual(['admin']);
});

test('removing a role asks first, and says when it takes effect; cancelling changes nothing', async ({ page }) => {
  await signIn(page, 'admin@example.com', '/');
  const user = new AdminUserPage(page);
  await user.goto('reader@example.com', 'Rita Reader');
  await expect(page.getByTestId('role-change-timing')).toContainText('within the session token lifetime set in Descope, 10 minutes by default');
  await page.getByRole('button', { name: 'Remove mlflow-reader project-wide' }).click();
  await expect(user.removeRoleDialog()).toContainText('their sessions are ended');
  await page.setViewportSize({ width: 1440, height: 900 });
  await saveScreenshot(page, 'admin-remove-role-dialog', { fullPage: false });
  await user.removeRoleDialog().getByRole('button', { name: 'Cancel' }).click();
  await expect(user.removeRoleDialog()).toBeHidden();
  expect(await directory().rolesOf('reader@example.com')).toEqual(['mlflow-reader']);
});

test("an admin revokes another user's access key and disables, then enables, the user; each is audited", async ({ page, browser }) => {
  const key = await directory().createKeyFor('reader@example.com', 'rita dashboard');
  const readerContext = await browser.newContext();
  const readerPage = await readerContext.newPage();
  await signIn(readerPage, 'reader@example.com', '/');

  await signIn(page, 'admin@example.com', '/');
  const user = new AdminUserPage(page);
  await user.goto('reader@example.com', 'Rita Reader');
  await expect(user.keyRow('rita dashboard')).toContainText('all their roles');
  await page.setViewportSize({ width: 1440, height: 900 });
  await saveScreenshot(page, 'admin-user-keys-1440');
  // A program used the key: this portal instance knows it, and can say why it is refused later.
  expect((await page.request.get('/mlflow/api/2.0/mlflow/experiments/search?max_results=1', { headers: { authorization: `Bearer ${key}` } })).status()).toBe(
    200,
  );
  await user.revokeKey('rita dashboard');
  await expect(page.getByTestId('user-keys-status')).toContainText('Revoked “rita dashboard” of Rita Reader');
  await expect(user.keyRow('rita dashboard')).toHaveCount(0);
  const refused = await page.request.get('/mlflow/api/2.0/mlflow/experiments/search?max_results=1', { headers: { authorization: `Bearer ${key}` } });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).message).toContain('this access key was revoked');

  await user.disableUser('Rita Reader');
  await expect(page.getByTestId('user-status-result')).toContainText('Disabled Rita Reader');
  await expect(page.getByTestId('user-status')).toHaveText('disabled');
  expect(await directory().statusOf('reader@example.com')).toBe('disabled');
  expect((await readerPage.request.get('/auth/user')).status()).toBe(401);
  await readerPage.goto('/');
  await expect(readerPage).toHaveURL(/\/auth\/login/);

  await page.getByRole('button', { name: 'Enable user' }).click();
  await expect(page.getByTestId('user-status-result')).toContainText('Enabled Rita Reader');
  await expect(page.getByTestId('user-status')).toHaveText('enabled');
  await signIn(readerPage, 'reader@example.com', '/');
  await expect(readerPage.getByTestId('signed-in-user')).toBeVisible();
  await expect(page.getByTestId('recent-changes').first()).toContainText('enabled reader@example.com');
  await expect(page.getByTestId('recent-changes').first()).toContainText('disabled reader@example.com');
  await expect(page.getByTestId('recent-changes').first()).toContainText('ended the sessions of reader@example.com (after disabling)');
  await expect(page.getByTestId('recent-changes').first()).toContainText('revoked access key "rita dashboard"');
  await readerContext.close();
});

test('a Descope outage shows a clear message on the admin pages and changes nothing', async ({ page }) => {
  await signIn(page, 'admin@example.com', '/');
  const user = new AdminUserPage(page);
  await user.goto('reader@example.com', 'Rita Reader');
  await directory().outage(true);
  await user.addRole('mlflow-editor');
  await expect(user.status()).toContainText('not answering right now. Nothing was changed');
  await page.goto('/admin');
  await expect(page.getByTestId('management-error').first()).toContainText('Descope is not answering');
  await directory().outage(false);
  expect(await directory().rolesOf('reader@example.com')).toEqual(['mlflow-reader']);
  // The circuit breaker lets calls through again shortly after Descope is back.
  await expect(async () => {
    await page.goto('/admin');
    await expect(page.getByTestId('users-table')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
});

test('screenshots: home, admin list and admin user at 1440 and 360 px', async ({ page }) => {
  await signIn(page, 'admin@example.com', '/');
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Welcome, Ada Admin' })).toBeVisible();
    await saveScreenshot(page, `home-${width}`);
    const users = new AdminUsersPage(page);
    await users.goto();
    await expect(users.table()).toBeVisible();
    await saveScreenshot(page, `admin-users-${width}`);
    await new AdminUserPage(page).goto('tenant@example.com', 'Tess Tenant');
    await saveScreenshot(page, `admin-user-${width}`);
  }
});
