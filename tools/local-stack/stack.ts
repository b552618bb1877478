import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { startEmulator } from '../descope-emulator/server';
import { startMlflow, repoRoot, withDescopePlugin, type LocalMlflow } from './mlflow';
import { startPortal, type PortalProcess } from './portal';
import { asPortBusy, assertPortsFree, PortBusyError, type PortClaim } from './ports';
import { freePort } from './wait';

export const DEMO_PROJECT_ID = 'P2emulator0000000000000000000';
export const DEMO_MANAGEMENT_KEY = 'emulator-management-key';
/** With workspaces: the emulator's T-acme is `acme` (an override, as README shows); T-Globex keeps its slug `t-globex`. */
export const DEMO_TENANT_WORKSPACES = 'T-acme=acme';

export interface StackOptions {
  dataDir: string;
  portalPort?: number;
  mlflowPort?: number;
  emulatorPort?: number;
  /** How the user of a fixed port picks another one, for the "port in use" line (npm run demo's flags). */
  howToChangePort?: { portal?: string; mlflow?: string; emulator?: string };
  /**
   * Keep the emulator's users, roles and access keys in `<dataDir>/descope-emulator.json` across
   * restarts (npm run demo). Off by default: tests start from the seed every time.
   */
  persistDirectory?: boolean;
  /** Extra portal environment (e.g. DESCOPE_DEFAULT_PERMISSION for a test). */
  portalEnv?: Record<string, string>;
  /**
   * `mlflow` (the default): MLflow runs its auth app with mlflow-plugin and the portal asserts who
   * calls (PORTAL_AUTHZ=mlflow, per-resource permissions). `roles`: a plain MLflow behind the role gate.
   */
  authz?: 'roles' | 'mlflow';
  /**
   * Each Descope tenant an MLflow workspace (PORTAL_WORKSPACES=tenants, MLflow --enable-workspaces;
   * T-acme is mapped to `acme`, the others get their slug). Needs authz `mlflow`.
   */
  workspaces?: boolean;
  inheritOutput?: boolean;
}

export interface Stack {
  portal: PortalProcess;
  mlflow: LocalMlflow;
  emulator: Awaited<ReturnType<typeof startEmulator>>;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export const emulatorStateFile = (dataDir: string) => resolve(dataDir, 'descope-emulator.json');

/** Emulator + a real MLflow + the built portal, all on loopback: the whole product, offline. */
export async function startStack(options: StackOptions): Promise<Stack> {
  if (options.workspaces && options.authz === 'roles') throw new Error('workspaces need authz "mlflow": MLflow\'s RBAC with the plugin enforces them');
  const dataDir = resolve(repoRoot, options.dataDir);
  const hints = options.howToChangePort ?? {};
  const claim = (service: string, port: number | undefined, howToChange?: string): PortClaim | undefined => (port ? { port, service, howToChange } : undefined);
  const claims = {
    emulator: claim('Descope emulator', options.emulatorPort, hints.emulator),
    mlflow: claim('MLflow', options.mlflowPort, hints.mlflow),
    portal: claim('portal', options.portalPort, hints.portal),
  };
  // Nothing starts while any fixed port is taken: a half-started stack would talk to the intruder.
  await assertPortsFree(Object.values(claims).filter((entry) => entry !== undefined));

  const emulatorPort = options.emulatorPort ?? (await freePort());
  const emulator = await startEmulator({
    projectId: DEMO_PROJECT_ID,
    managementKey: DEMO_MANAGEMENT_KEY,
    port: emulatorPort,
    stateFile: options.persistDirectory ? emulatorStateFile(dataDir) : undefined,
  }).catch((error: unknown) => {
    throw asPortBusy(error, claims.emulator ?? { port: emulatorPort, service: 'Descope emulator' });
  });
  let mlflow: LocalMlflow | undefined;
  try {
    const mlflowDir = resolve(dataDir, 'mlflow');
    // The secret lives as long as this stack: MLflow and the portal get it from the environment.
    const assertionSecret = randomBytes(32).toString('base64url');
    const plugin = (options.authz ?? 'mlflow') === 'mlflow' ? withDescopePlugin({ dataDir: mlflowDir, assertionSecret }) : undefined;
    if (plugin && options.workspaces) plugin.extraArgs.push('--enable-workspaces');
    // A fresh id per start: the portal's /auth/health then proves it reaches this very MLflow.
    const upstreamId = `stack-${randomBytes(12).toString('base64url')}`;
    mlflow = await startMlflow({ port: options.mlflowPort ?? (await freePort()), dataDir: mlflowDir, upstreamId, ...plugin }).catch((error: unknown) => {
      throw error instanceof PortBusyError && claims.mlflow ? new PortBusyError(claims.mlflow) : error;
    });
    const env: Record<string, string> = {
      DESCOPE_PROJECT_ID: DEMO_PROJECT_ID,
      DESCOPE_MANAGEMENT_KEY: DEMO_MANAGEMENT_KEY,
      DESCOPE_BASE_URL: emulator.url,
      MLFLOW_UPSTREAM_URL: mlflow.url,
      MLFLOW_UPSTREAM_ID: upstreamId,
      PORTAL_AUDIT_LOG: resolve(dataDir, 'audit.log'),
      ...(plugin ? { PORTAL_AUTHZ: 'mlflow', PORTAL_ASSERTION_SECRET: assertionSecret } : {}),
      ...(options.workspaces ? { PORTAL_WORKSPACES: 'tenants', DESCOPE_TENANT_WORKSPACES: DEMO_TENANT_WORKSPACES } : {}),
      ...options.portalEnv,
    };
    const portal = await startPortal({ port: options.portalPort ?? (await freePort()), env, inheritOutput: options.inheritOutput, portClaim: claims.portal });
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
