import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { request as playwrightRequest } from '@playwright/test';
import { test, expect, saveScreenshot, signIn } from './fixtures';
import { ProfilePage } from './pages/profile-page';
import { DescopeDirectory, callServerAction, serverActionIds } from './pages/descope-directory';

const EXPERIMENTS = '/mlflow/api/2.0/mlflow/experiments/search?max_results=1';
const EDITOR_ID = 'U2emuEditor00000000000000002';

/** A program with nothing but the key: no cookies, no browser. */
async function callMlflowWith(baseURL: string | undefined, key: string): Promise<number> {
  const client = await playwrightRequest.newContext({ baseURL });
  try {
    return (await client.get(EXPERIMENTS, { headers: { authorization: `Bearer ${key}` } })).status();
  } finally {
    await client.dispose();
  }
}

/** The stock mlflow client (from the test venv) with the key as MLFLOW_TRACKING_TOKEN: log a run, read it back. */
function runMlflowClient(baseURL: string | undefined, key: string): Promise<{ exitCode: number; output: Record<string, unknown> }> {
  const env = {
    ...process.env,
    MLFLOW_TRACKING_URI: `${baseURL}/mlflow`,
    MLFLOW_TRACKING_TOKEN: key,
    EXPERIMENT_NAME: `e2e-key-${Date.now()}`,
    MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0',
  };
  return new Promise((done) => {
    execFile(resolve('.cache/venv/bin/python'), [resolve('tests/support/mlflow_client_roundtrip.py')], { env, timeout: 60_000 }, (error, stdout) => {
      const lastLine = stdout.trim().split('\n').pop() ?? '{}';
      done({ exitCode: error ? Number(error.code ?? 1) : 0, output: JSON.parse(lastLine.startsWith('{') ? lastLine : '{}') as Record<string, unknown> });
    });
  });
}

test.afterEach(async () => {
  await new DescopeDirectory().outage(false);
});

test('a user creates an access key, calls MLflow with it, revokes it, and the next call is refused', async ({ page, baseURL }) => {
  await signIn(page, 'editor@example.com', '/profile');
  const profile = new ProfilePage(page);
  await expect(page.getByText('No access keys yet')).toBeVisible();

  await profile.createKey('e2e notebook', 'In 30 days');
  const key = await profile.newKey();
  await expect(profile.snippet()).toHaveText(`export MLFLOW_TRACKING_URI=${baseURL}/mlflow\nexport MLFLOW_TRACKING_TOKEN=${key}`);
  await expect(profile.newKeyDialog()).toContainText('mlflow.start_run()');
  await profile.closeNewKeyDialog();
  // Shown once: the dialog is gone and the page holds no trace of the cleartext.
  expect(await page.content()).not.toContain(key);
  await expect(profile.keyRow('e2e notebook')).toContainText('active');
  await expect(profile.status()).toHaveText('Created the access key “e2e notebook”.');

  const used = await runMlflowClient(baseURL, key);
  expect(used.exitCode, JSON.stringify(used.output)).toBe(0);
  expect(used.output).toMatchObject({ artifact_identical: true, tags: { 'descope.user_id': EDITOR_ID } });

  await profile.revokeKey('e2e notebook');
  await expect(profile.status()).toContainText('Revoked the access key “e2e notebook”');
  await expect(profile.keyRow('e2e notebook')).toHaveCount(0);
  await expect(page.getByText('No access keys yet')).toBeVisible();
  expect(await callMlflowWith(baseURL, key)).toBe(401);
  const refused = await runMlflowClient(baseURL, key);
  expect(refused.exitCode).toBe(3);
  expect(String(refused.output.error)).toMatch(/401|unauthenticated|credentials/i);
});

test('keys are private: another user neither sees nor revokes them, even calling the action by hand', async ({ page, browser, baseURL }) => {
  await signIn(page, 'editor@example.com', '/profile');
  const profile = new ProfilePage(page);
  await profile.createKey('editor private', 'Never');
  const key = await profile.newKey();
  await profile.closeNewKeyDialog();
  const [keyId] = await new DescopeDirectory().keyIdsOf(EDITOR_ID);

  const readerContext = await browser.newContext();
  const readerPage = await readerContext.newPage();
  await signIn(readerPage, 'reader@example.com', '/profile');
  await expect(readerPage.getByText('No access keys yet')).toBeVisible();
  const { revokeAccessKey } = serverActionIds('lib/profile/actions.ts');
  const attempt = await callServerAction(readerPage.request, '/profile', revokeAccessKey, [{ keyId }]);
  expect(attempt.status()).toBe(200);
  expect(await attempt.text()).toContain('"code":"not_found"');
  expect(await callMlflowWith(baseURL, key)).toBe(200);
  await readerContext.close();

  await profile.revokeKey('editor private');
  await expect(profile.keyRow('editor private')).toHaveCount(0);
});

test('a key limited to a reader role shows its scope, reads, and cannot write', async ({ page, baseURL }) => {
  await new DescopeDirectory().setRoles('editor@example.com', ['mlflow-editor', 'mlflow-reader']);
  try {
    await signIn(page, 'editor@example.com', '/profile');
    const profile = new ProfilePage(page);
    await profile.createKey('read-only dashboard', 'In 30 days', ['mlflow-reader']);
    await expect(profile.newKeyDialog()).toContainText('only mlflow-reader');
    const key = await profile.newKey();
    await profile.closeNewKeyDialog();
    await expect(profile.keyRow('read-only dashboard').getByTestId('key-scope')).toHaveText(/^only\s*mlflow-reader$/);

    const client = await playwrightRequest.newContext({ baseURL });
    try {
      const headers = { authorization: `Bearer ${key}` };
      expect((await client.get(EXPERIMENTS, { headers })).status()).toBe(200);
      const write = await client.post('/mlflow/api/2.0/mlflow/experiments/create', { headers, data: { name: `scoped-${Date.now()}` } });
      expect(write.status()).toBe(403);
      expect((await write.json()).message).toBe('this needs EDIT permission; yours is READ');
    } finally {
      await client.dispose();
    }

    await page.getByRole('button', { name: 'Revoke key read-only dashboard' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke “read-only dashboard”?' });
    await expect(confirm).toBeVisible();
    // Left-aligned like every other dialog, though it opens from a right-aligned table cell.
    expect(await confirm.locator('h2').evaluate((heading) => getComputedStyle(heading).textAlign)).toBe('left');
    await saveScreenshot(page, 'revoke-key-dialog-1440', { fullPage: false });
    await confirm.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect(profile.keyRow('read-only dashboard')).toHaveCount(0);
  } finally {
    await new DescopeDirectory().setRoles('editor@example.com', ['mlflow-editor']);
  }
});

test('a Descope outage leaves the profile readable and says access keys are unavailable', async ({ page }) => {
  await signIn(page, 'reader@example.com', '/profile');
  await new DescopeDirectory().outage(true);
  await page.reload();
  await expect(page.getByTestId('profile-email')).toHaveText('reader@example.com');
  await expect(page.getByTestId('access-keys-error')).toContainText('not answering right now');
  await new DescopeDirectory().outage(false);
  await expect(async () => {
    await page.reload();
    await expect(page.getByText('No access keys yet')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
});

test('screenshots: profile and the new-key dialog at 1440 and 360 px', async ({ page }) => {
  await signIn(page, 'tenant@example.com', '/profile');
  const profile = new ProfilePage(page);
  await profile.createKey('laptop notebook', 'In 90 days');
  await profile.closeNewKeyDialog();
  for (const width of [1440, 360] as const) {
    await page.setViewportSize({ width, height: 900 });
    await profile.goto();
    await expect(profile.keyRow('laptop notebook')).toBeVisible();
    await saveScreenshot(page, `profile-${width}`);
    await profile.createKey(`ci job ${width}`, 'In 1 year');
    await saveScreenshot(page, `new-key-dialog-${width}`, { fullPage: false });
    await profile.closeNewKeyDialog();
  }
});
