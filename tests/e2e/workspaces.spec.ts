import { rmSync } from 'node:fs';
import { test, expect, emulatorSessionJwt, saveScreenshot, signIn } from './fixtures';
import { startStack, type Stack } from '../../tools/local-stack/stack';
import { E2E_PORTAL_PORT } from '../../playwright.config';

// Tenants as workspaces in a browser: its own emulator, MLflow (--enable-workspaces, its auth app
// and the plugin) and portal (PORTAL_WORKSPACES=tenants; T-acme is `acme`, T-Globex `t-globex`).
// both@example.com is an editor in T-acme and a reader in T-Globex.
let stack: Stack;
const stamp = Date.now();
const names = { acme: `acme-notes-${stamp}`, globex: `globex-notes-${stamp}`, hidden: `acme-private-${stamp}` };
const ids = { acme: '', globex: '' };

async function mlflowCall(loginId: string, workspace: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${stack.portal.url}/mlflow/api/${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await emulatorSessionJwt(stack.emulator.url, loginId)}`,
      'content-type': 'application/json',
      'x-mlflow-workspace': workspace,
    },
    body: JSON.stringify(body),
  });
  expect(response.ok, `${loginId} ${path} in ${workspace}: ${response.status}`).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  rmSync('.cache/e2e-workspaces', { recursive: true, force: true });
  // A fixed port (after the two of global-setup) keeps the screenshots' client line stable.
  stack = await startStack({ dataDir: '.cache/e2e-workspaces', workspaces: true, portalPort: E2E_PORTAL_PORT + 2 });
  // both@ makes one in acme; globex@ makes one in t-globex and shares it with both@ (owners may);
  // tenant@ makes one in acme that nobody shares (owner-only by default: both@ must not see it).
  const acme = await mlflowCall('both@example.com', 'acme', '2.0/mlflow/experiments/create', { name: names.acme });
  const globex = await mlflowCall('globex@example.com', 't-globex', '2.0/mlflow/experiments/create', { name: names.globex });
  await mlflowCall('globex@example.com', 't-globex', '3.0/mlflow/users/permissions/grant', {
    username: 'both@example.com',
    resource_type: 'experiment',
    resource_id: globex.experiment_id,
    permission: 'READ',
  });
  ids.acme = String(acme.experiment_id);
  ids.globex = String(globex.experiment_id);
  await mlflowCall('tenant@example.com', 'acme', '2.0/mlflow/experiments/create', { name: names.hidden });
  // A workspace of no tenant of theirs, which the switcher must not offer.
  await mlflowCall('admin@example.com', 'default', '3.0/mlflow/workspaces', { name: 'stray-team', description: 'made in MLflow' });
});

test.afterAll(async () => {
  await stack?.stop();
});

test("MLflow's workspace switcher through the portal offers just the caller's workspaces; switching shows that workspace's experiments", async ({ page }) => {
  await signIn(page, 'both@example.com', `${stack.portal.url}/mlflow/`);
  const switcher = page.getByRole('combobox', { name: /^Workspace/ });
  await switcher.click();
  await expect(page.getByRole('option')).toHaveText(['acme', 't-globex']);
  await saveScreenshot(page, 'mlflow-workspace-switcher', { fullPage: false });

  await page.getByRole('option', { name: 'acme' }).click();
  await page.getByRole('link', { name: 'Experiments', exact: true }).click();
  await expect(page).toHaveURL(/workspace=acme/);
  await expect(page.getByRole('link', { name: names.acme })).toBeVisible();
  await expect(page.getByText(names.globex)).toHaveCount(0);
  await expect(page.getByText(names.hidden)).toHaveCount(0);
  await saveScreenshot(page, 'mlflow-workspace-acme', { fullPage: false });

  // Switching on the experiments page lists the other workspace's experiments there.
  await switcher.click();
  await page.getByRole('option', { name: 't-globex' }).click();
  await expect(page).toHaveURL(/workspace=t-globex/);
  await expect(page.getByRole('link', { name: names.globex })).toBeVisible();
  await expect(page.getByText(names.acme)).toHaveCount(0);
});

test('home and profile list the caller’s workspaces with their level in each and the client line', async ({ page }) => {
  await signIn(page, 'both@example.com', `${stack.portal.url}/`);
  for (const path of ['/', '/profile']) {
    await page.goto(`${stack.portal.url}${path}`);
    const card = page.getByRole('region', { name: 'Your MLflow workspaces' });
    await expect(card.getByTestId('workspaces').locator(':scope > li')).toHaveCount(2);
    await expect(card.getByTestId('workspace-acme').getByTestId('mlflow-permission')).toHaveText('EDIT');
    await expect(card.getByTestId('workspace-t-globex').getByTestId('mlflow-permission')).toHaveText('READ');
    await expect(card.getByTestId('workspace-snippet')).toContainText('export MLFLOW_WORKSPACE=acme   # or: t-globex');
    // No single level: it is per workspace, and the page says where to look.
    await expect(page.getByTestId('mlflow-level-per-workspace')).toBeVisible();
    await saveScreenshot(page, path === '/' ? 'home-workspaces' : 'profile-workspaces');
  }
  // What MLflow holds for them, workspace by workspace: theirs in acme, the one shared in t-globex.
  await page.goto(`${stack.portal.url}/`);
  const grants = page.getByTestId('mlflow-grants');
  await expect(grants.getByRole('row').filter({ hasText: 'Experiment' })).toHaveText([
    new RegExp(`^acme\\s*Experiment ${ids.acme}\\s*MANAGE`),
    new RegExp(`^t-globex\\s*Experiment ${ids.globex}\\s*READ`),
  ]);
  await expect(page.getByTestId('mlflow-roles')).toHaveText('MLflow roles: descope-portal:member in acme, descope-portal:member in t-globex');
});

test('/admin shows each tenant’s workspace and its state, and a user’s level per workspace', async ({ page }) => {
  await signIn(page, 'admin@example.com', `${stack.portal.url}/admin`);
  const table = page.getByRole('region', { name: 'Tenants and workspaces' });
  await expect(table.getByTestId('tenant-T-acme')).toContainText('acme');
  await expect(table.getByTestId('tenant-T-acme')).toContainText('set by DESCOPE_TENANT_WORKSPACES');
  await expect(table.getByTestId('tenant-T-acme').getByTestId('workspace-state')).toHaveText('ready');
  await expect(table.getByTestId('tenant-T-Globex')).toContainText('t-globex');
  await expect(table.getByTestId('tenant-T-Globex').getByTestId('workspace-state')).toHaveText('ready');
  await expect(table.getByTestId('unmapped-workspaces')).toContainText('stray-team');
  await saveScreenshot(page, 'admin-tenant-workspaces');

  await page.goto(`${stack.portal.url}/admin/users/both%40example.com`);
  const theirs = page.getByRole('region', { name: 'MLflow workspaces' });
  await expect(theirs.getByTestId('workspace-acme').getByTestId('mlflow-permission')).toHaveText('EDIT');
  await expect(theirs.getByTestId('workspace-t-globex').getByTestId('mlflow-permission')).toHaveText('READ');
  await page.goto(`${stack.portal.url}/admin/users/editor%40example.com`);
  await expect(page.getByRole('region', { name: 'MLflow workspaces' }).getByTestId('no-workspaces')).toBeVisible();
});

test('a user in no tenant is told so on their home page, and MLflow refuses them every workspace', async ({ page }) => {
  await signIn(page, 'editor@example.com', `${stack.portal.url}/`);
  await expect(page.getByRole('region', { name: 'Your MLflow workspaces' }).getByTestId('no-workspaces')).toBeVisible();
  const response = await page.request.get(`${stack.portal.url}/mlflow/ajax-api/3.0/mlflow/workspaces`);
  expect(response.status()).toBe(403);
  expect((await response.json()).message).toMatch(/^no MLflow workspace for you/);
  for (const workspace of ['acme', 't-globex', 'default', 'stray-team']) {
    const named = await page.request.post(`${stack.portal.url}/mlflow/ajax-api/2.0/mlflow/experiments/search`, {
      data: { max_results: 10 },
      headers: { 'x-mlflow-workspace': workspace, origin: stack.portal.url },
    });
    expect(named.status(), workspace).toBe(403);
    expect((await named.json()).message, workspace).toBe(`you are not a member of workspace ${workspace}`);
  }
});
