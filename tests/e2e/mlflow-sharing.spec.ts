import { test, expect, emulatorSessionJwt, saveScreenshot, signIn } from './fixtures';

/** An experiment created through the portal's API path by `loginId`, who then owns it in MLflow. */
async function createExperimentAs(loginId: string, baseURL: string, name: string): Promise<string> {
  const sessionJwt = await emulatorSessionJwt(process.env.E2E_EMULATOR_URL!, loginId);
  const response = await fetch(`${baseURL}/mlflow/api/2.0/mlflow/experiments/create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sessionJwt}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { experiment_id: string }).experiment_id;
}

// PORTAL_AUTHZ=mlflow, owner-only by default: sharing happens in MLflow's own UI, through the
// portal. MLflow 3.18's "Edit access" dialog is for MLflow admins (it lists the target's roles,
// which MLflow refuses to other users); a portal admin is one. Owners without admin rights share
// with AuthServiceClient (tests/integration/mlflow-rbac.test.ts).
test("an owner shares an experiment in MLflow's UI; the other user sees it after a reload", async ({ page, browser, baseURL }) => {
  test.setTimeout(180_000);
  const name = `shared-in-ui-${Date.now()}`;
  await createExperimentAs('admin@example.com', baseURL!, name);

  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  await signIn(reader, 'reader@example.com', '/mlflow/#/experiments');
  await expect(reader.getByRole('heading', { name: /Experiments/ }).first()).toBeVisible();
  await expect(reader.getByText(name)).toHaveCount(0);

  await signIn(page, 'admin@example.com', '/mlflow/');
  await page.goto('/mlflow/#/admin/users/reader%40example.com');
  await page.getByRole('button', { name: 'Edit access' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('combobox', { name: /^Experiment/ }).click();
  await page.getByRole('option', { name }).click();
  await dialog.getByRole('button', { name: 'Add', exact: true }).click();
  await saveScreenshot(page, 'mlflow-share-dialog', { fullPage: false });
  await dialog.getByRole('button', { name: 'Review changes' }).click();
  await page
    .getByRole('button', { name: /^(Apply|Confirm|Save|Submit)/ })
    .last()
    .click();
  await expect(dialog).toBeHidden();

  await reader.reload();
  await expect(reader.getByText(name)).toBeVisible();
  await readerContext.close();
});
