import { rmSync } from 'node:fs';
import DescopeClient from '@descope/node-sdk';
import { afterAll, expect, it } from 'vitest';
import { DEMO_MANAGEMENT_KEY, DEMO_PROJECT_ID, startStack, type Stack } from '@/tools/local-stack/stack';
import { mlflowApi } from '@/tests/support/portal-harness';

/** npm run demo's stack, twice on one data folder: what a user made before a restart still works after it. */
const dataDir = '.cache/it-demo-restart';
let stack: Stack | undefined;
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const management = (running: Stack) =>
  DescopeClient({ projectId: DEMO_PROJECT_ID, baseUrl: running.emulator.url, managementKey: DEMO_MANAGEMENT_KEY }).management;

it('a restarted demo keeps access keys, role changes and MLflow data', { timeout: 480_000 }, async () => {
  rmSync(dataDir, { recursive: true, force: true });
  stack = await startStack({ dataDir, persistDirectory: true });
  const { data: reader } = await management(stack).user.load('reader@example.com');
  const key = (await management(stack).accessKey.create('before restart', 0, [], undefined, reader!.userId)).data!.cleartext;
  // Made an editor before the restart: the key acts with the owner's roles, so it can write.
  await management(stack).user.addRoles('reader@example.com', ['mlflow-editor']);
  const name = `kept-${Date.now()}`;
  expect((await mlflowApi(stack.portal.url, key, 'POST', 'experiments/create', { name })).status).toBe(200);
  await stack.stop();
  stack = undefined;

  stack = await startStack({ dataDir, persistDirectory: true });
  const found = await mlflowApi(stack.portal.url, key, 'GET', `experiments/get-by-name?experiment_name=${name}`);
  expect(found.status).toBe(200);
  expect(found.json.experiment.name).toBe(name);
  expect((await mlflowApi(stack.portal.url, key, 'POST', 'experiments/create', { name: `${name}-after` })).status).toBe(200);
  expect((await management(stack).user.load('reader@example.com')).data?.roleNames).toEqual(['mlflow-reader', 'mlflow-editor']);
});
