import { rmSync } from 'node:fs';
import { startStack } from '../../tools/local-stack/stack';

const PORTAL_PORT = 3100;

/** One emulator + MLflow + portal for the whole browser suite; specs reach them over HTTP. */
export default async function globalSetup() {
  rmSync('.cache/e2e', { recursive: true, force: true });
  const stack = await startStack({ dataDir: '.cache/e2e', portalPort: PORTAL_PORT });
  process.env.E2E_EMULATOR_URL = stack.emulator.url;
  process.env.E2E_MLFLOW_URL = stack.mlflow.url;
  return async () => {
    await stack.stop();
  };
}
