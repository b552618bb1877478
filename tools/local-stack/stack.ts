import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { startEmulator } from '../descope-emulator/server';
import { startMlflow, repoRoot, withDescopePlugin, type LocalMlflow } from './mlflow';
import { startPortal, type PortalProcess } from './portal';
import { freePort } from './wait';

export const DEMO_PROJECT_ID = 'P2emulator0000000000000000000';
export const DEMO_MANAGEMENT_KEY = 'emulator-management-key';

export interface StackOptions {
  dataDir: string;
  portalPort?: number;
  mlflowPort?: number;
  emulatorPort?: number;
  /** Extra portal environment (e.g. DESCOPE_DEFAULT_PERMISSION for a test). */
  portalEnv?: Record<string, string>;
  /**
   * `mlflow` (the default): MLflow runs its auth app with mlflow-plugin and the portal asserts who
   * calls (PORTAL_AUTHZ=mlflow, per-resource permissions). `roles`: a plain MLflow behind the role gate.
   */
  authz?: 'roles' | 'mlflow';
  inheritOutput?: boolean;
}

export interface Stack {
  portal: PortalProcess;
  mlflow: LocalMlflow;
  emulator: Awaited<ReturnType<typeof startEmulator>>;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Emulator + a real MLflow + the built portal, all on loopback: the whole product, offline. */
export async function startStack(options: StackOptions): Promise<Stack> {
  const dataDir = resolve(repoRoot, options.dataDir);
  const emulator = await startEmulator({
    projectId: DEMO_PROJECT_ID,
    managementKey: DEMO_MANAGEMENT_KEY,
    port: options.emulatorPort ?? (await freePort()),
  });
  let mlflow: LocalMlflow | undefined;
  try {
    const mlflowDir = resolve(dataDir, 'mlflow');
    // The secret lives as long as this stack: MLflow and the portal get it from the environment.
    const assertionSecret = randomBytes(32).toString('base64url');
    const plugin = (options.authz ?? 'mlflow') === 'mlflow' ? withDescopePlugin({ dataDir: mlflowDir, assertionSecret }) : undefined;
    mlflow = await startMlflow({ port: options.mlflowPort ?? (await freePort()), dataDir: mlflowDir, ...plugin });
    const env: Record<string, string> = {
      DESCOPE_PROJECT_ID: DEMO_PROJECT_ID,
      DESCOPE_MANAGEMENT_KEY: DEMO_MANAGEMENT_KEY,
      DESCOPE_BASE_URL: emulator.url,
      MLFLOW_UPSTREAM_URL: mlflow.url,
      PORTAL_AUDIT_LOG: resolve(dataDir, 'audit.log'),
      ...(plugin ? { PORTAL_AUTHZ: 'mlflow', PORTAL_ASSERTION_SECRET: assertionSecret } : {}),
      ...options.portalEnv,
    };
    const portal = await startPortal({ port: options.portalPort ?? (await freePort()), env, inheritOutput: options.inheritOutput });
    const running = mlflow;
    return {
      portal,
      mlflow: running,
      emulator,
      env,
      stop: async () => {
        await portal.stop();
        await running.stop();
        await emulator.close();
      },
    };
  } catch (error) {
    await mlflow?.stop();
    await emulator.close();
    throw error;
  }
}
