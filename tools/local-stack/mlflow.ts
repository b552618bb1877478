import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UPSTREAM_ID_ARTIFACT, UPSTREAM_ID_PATH } from '../../lib/mlflow/upstream-id';
import { createAssertionSigner } from '../../lib/gateway/assertion';
import { probeHeaders } from '../../lib/mlflow/plugin-probe';
import { PortBusyError } from './ports';
import { waitForHttp } from './wait';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const venvBin = (name: string) => resolve(repoRoot, '.cache/venv/bin', name);

export interface LocalMlflow {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * A real MLflow 3.18 tracking server on loopback (SQLite + local artifacts served by MLflow), for
 * tests, `npm run demo` and the benchmarks. The venv comes from scripts/install-mlflow.sh.
 */
export async function startMlflow(options: {
  port: number;
  dataDir: string;
  quiet?: boolean;
  extraArgs?: string[];
  /** Extra environment, e.g. an auth app's configuration. */
  env?: Record<string, string>;
  /** Another venv's `mlflow` (the benchmark runs mlflow-oidc-auth from its own venv). */
  mlflowBin?: string;
  /**
   * Written to the artifact root as .portal-upstream-id before start and read back over HTTP
   * after: proves the server answering on the port is this one, not whatever listened there.
   */
  upstreamId?: string;
}): Promise<LocalMlflow> {
  const mlflowBin = options.mlflowBin ?? venvBin('mlflow');
  if (!existsSync(mlflowBin)) throw new Error(`MLflow is not installed at ${mlflowBin}: run \`bash scripts/install-mlflow.sh\` first`);
  const dataDir = resolve(options.dataDir);
  mkdirSync(resolve(dataDir, 'artifacts'), { recursive: true });
  if (options.upstreamId) writeFileSync(resolve(dataDir, 'artifacts', UPSTREAM_ID_ARTIFACT), `${options.upstreamId}\n`);
  const args = [
    'server',
    '--host',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--backend-store-uri',
    `sqlite:///${dataDir}/mlflow.db`,
    '--artifacts-destination',
    `${dataDir}/artifacts`,
    '--serve-artifacts',
    '--workers',
    '2',
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(mlflowBin, args, {
    cwd: dataDir,
    // No job runner: MLflow otherwise starts a dozen huey worker processes per server, which the
    // portal never needs here and a 2-core machine running several servers cannot afford.
    env: {
      ...process.env,
      PYTHONWARNINGS: 'ignore',
      MLFLOW_DISABLE_TELEMETRY: 'true',
      DO_NOT_TRACK: 'true',
      MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
      ...options.env,
    },
    stdio: options.quiet === false ? 'inherit' : ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitForHttp(`${url}/health`, 120_000, () => child.exitCode !== null);
    if (options.upstreamId) await expectOwnServer(url, options.upstreamId, { port: options.port, assertionSecret: options.env?.PORTAL_ASSERTION_SECRET });
  } catch (error) {
    child.kill('SIGKILL');
    if (error instanceof PortBusyError || /address already in use|Errno 98/i.test(stderr)) throw new PortBusyError({ port: options.port, service: 'MLflow' });
    throw new Error(`MLflow did not start: ${(error as Error).message}\n${stderr}`);
  }
  return {
    url,
    port: options.port,
    process: child,
    stop: () => stopProcess(child),
  };
}

/**
 * Settings for startMlflow that run MLflow's auth app with this repo's plugin (PORTAL_AUTHZ=mlflow):
 * the shipped ini (mlflow-plugin/descope-auth.ini) copied into the data folder with its store there
 * and, if asked, another default permission; secrets through the environment, as in production.
 */
export function withDescopePlugin(options: { dataDir: string; assertionSecret: string; defaultPermission?: 'READ' | 'NO_PERMISSIONS' | 'EDIT' | 'MANAGE' }) {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  let ini = readFileSync(resolve(repoRoot, 'mlflow-plugin/descope-auth.ini'), 'utf8').replace(
    /^database_uri = .*$/m,
    `database_uri = sqlite:///${dataDir}/basic_auth.db`,
  );
  if (options.defaultPermission) ini = ini.replace(/^default_permission = .*$/m, `default_permission = ${options.defaultPermission}`);
  const iniPath = resolve(dataDir, 'descope-auth.ini');
  writeFileSync(iniPath, ini);
  return {
    extraArgs: ['--app-name', 'basic-auth'],
    env: {
      MLFLOW_AUTH_CONFIG_PATH: iniPath,
      PORTAL_ASSERTION_SECRET: options.assertionSecret,
      MLFLOW_AUTH_ADMIN_PASSWORD: randomBytes(24).toString('base64url'),
      MLFLOW_FLASK_SERVER_SECRET_KEY: randomBytes(24).toString('base64url'),
    },
  };
}

async function expectOwnServer(url: string, upstreamId: string, { port, assertionSecret }: { port: number; assertionSecret?: string }): Promise<void> {
  // With the plugin, MLflow answers only the portal's assertion: the check asserts like the portal's health probe.
  const headers = assertionSecret ? await probeHeaders(createAssertionSigner(new TextEncoder().encode(assertionSecret))) : {};
  const response = await fetch(`${url}/${UPSTREAM_ID_PATH}`, { headers, signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
  const answered = response?.ok ? (await response.text()).trim() : undefined;
  if (answered !== upstreamId) throw new PortBusyError({ port, service: 'MLflow' });
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}
