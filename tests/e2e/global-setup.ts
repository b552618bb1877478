import { rmSync } from 'node:fs';
import { startPortal } from '../../tools/local-stack/portal';
import { startStack } from '../../tools/local-stack/stack';
import { E2E_NEXT_START_PORT, E2E_PORTAL_PORT } from '../../playwright.config';

/** One emulator + MLflow + portal (and the same portal under `next start`) for the browser suite; specs reach them over HTTP. */
export default async function globalSetup() {
  rmSync('.cache/e2e', { recursive: true, force: true });
  const stack = await startStack({ dataDir: '.cache/e2e', portalPort: E2E_PORTAL_PORT });
  // A second portal on the same build, emulator and MLflow, served by `next start`.
  const nextStart = await startPortal({ port: E2E_NEXT_START_PORT, env: stack.env, server: 'next-start' }).catch(async (error: unknown) => {
    await stack.stop();
    throw error;
  });
  process.env.E2E_EMULATOR_URL = stack.emulator.url;
  process.env.E2E_MLFLOW_URL = stack.mlflow.url;
  // MLflow runs the plugin: other portals in front of it (the scale-out spec) need the same secret.
  process.env.E2E_ASSERTION_SECRET = stack.env.PORTAL_ASSERTION_SECRET;
  return async () => {
    await nextStart.stop();
    await stack.stop();
  };
}
