import { test, expect, emulatorSessionJwt, saveScreenshot, signIn } from './fixtures';
import { MlflowUi } from './pages/mlflow-ui';

/** Seeds an experiment and a run through the portal's API path, as the editor. */
async function seedRun(emulatorUrl: string, baseURL: string) {
  const sessionJwt = await emulatorSessionJwt(emulatorUrl, 'editor@example.com');
  const call = async (endpoint: string, body: unknown) => {
    const response = await fetch(`${baseURL}/mlflow/api/2.0/mlflow/${endpoint}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sessionJwt}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, endpoint).toBe(200);
    return response.json();
  };
  const { experiment_id: experimentId } = await call('experiments/create', { name: `ui-seeded-${Date.now()}` });
  const { run } = await call('runs/create', { experiment_id: experimentId, run_name: 'seeded-run', start_time: Date.now() });
  await call('runs/log-batch', {
    run_id: run.info.run_id,
    metrics: [{ key: 'accuracy', value: 0.93, timestamp: Date.now(), step: 1 }],
    params: [{ key: 'optimizer', value: 'adam' }],
  });
  return { experimentId: experimentId as string, runId: run.info.run_id as string };
}

test("a signed-in user sees MLflow's UI through the portal, opens a run and creates an experiment", async ({ page, baseURL }) => {
  const { experimentId, runId } = await seedRun(process.env.E2E_EMULATOR_URL!, baseURL!);
  await signIn(page, 'editor@example.com', '/mlflow/');
  await expect(page).toHaveURL(/\/mlflow\//);
  const ui = new MlflowUi(page);
  await ui.openExperiments();
  await saveScreenshot(page, 'mlflow-experiments');

  await ui.openRun(experimentId, runId);
  await expect(page.getByText('seeded-run').first()).toBeVisible();
  await expect(page.getByText('optimizer').first()).toBeVisible();
  await saveScreenshot(page, 'mlflow-run');

  const name = `created-in-ui-${Date.now()}`;
  await ui.openExperiments();
  await ui.createExperiment(name);
  const search = await page.request.post('/mlflow/ajax-api/2.0/mlflow/experiments/search', { data: { filter: `name = '${name}'`, max_results: 1 } });
  expect((await search.json()).experiments?.[0]?.name).toBe(name);
});

test("a reader browsing MLflow cannot create an experiment: the portal refuses the UI's write", async ({ page }) => {
  await signIn(page, 'reader@example.com', '/mlflow/');
  const response = await page.request.post('/mlflow/ajax-api/2.0/mlflow/experiments/create', {
    data: { name: `reader-${Date.now()}` },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(403);
  expect((await response.json()).error_code).toBe('PERMISSION_DENIED');
});
