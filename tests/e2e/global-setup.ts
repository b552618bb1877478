import { rmSync } from 'node:fs';
import { E2E_PORTAL_PORT } from '../../playwright.config';
import { startStack } from '../../tools/local-stack/stack';

/** One emulator + MLflow + portal for the whole browser suite; specs reach them over HTTP. */
export default async function globalSetup() {
  rmSync('.cache/e2e', { recursive: true, force: true });
  const stack = await startStack({ dataDir: '.cache/e2e', portalPort: E2E_PORTAL_PORT });
  process.env.E2E_EMULATOR_URL = stack.emulator.url;
  process.env.E2E_MLFLOW_URL = stack.mlflow.url;
  return async () => {
    await stack.stop();
  };
}
