import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, startMlflow, withDescopePlugin, type LocalMlflow } from '../tools/local-stack/mlflow';
import { passwordGrant, type OidcStandIn } from './servers/oidc-stand-in';

const run = promisify(execFile);
const BENCH_USER = 'bench';
const BENCH_PASSWORD = 'bench-password-123';

export interface AuthedMlflow {
  mlflow: LocalMlflow;
  headers: Record<string, string>;
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Installs a venv with a repo script (idempotent); resolves the script's error text on failure. */
export async function install(script: string): Promise<string | undefined> {
  try {
    await run('bash', [join(repoRoot, 'scripts', script)], { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
    return undefined;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message);
    return stderr
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('WARNING: Location'))
      .slice(-3)
      .join(' / ');
  }
}

/**
 * `mlflow server --app-name basic-auth`: MLflow's own auth app, with the credential cache it
 * documents for request-heavy workloads on (auth_cache_ttl_seconds), and non-admin users (by
 * default one, `bench`) that own what they create, so every call goes through the permission
 * checks. `headers` signs in as the first user, `headersOf` as any of them.
 */
export async function startBasicAuthMlflow(
  port: number,
  dataDir: string,
  options: { defaultPermission?: 'READ' | 'NO_PERMISSIONS'; users?: string[] } = {},
): Promise<AuthedMlflow & { headersOf(user: string): Record<string, string> }> {
  const users = options.users ?? [BENCH_USER];
  const ini = join(dataDir, 'basic_auth.ini');
  writeFileSync(
    ini,
    [
      '[mlflow]',
      `default_permission = ${options.defaultPermission ?? 'READ'}`,
      `database_uri = sqlite:///${join(dataDir, 'basic_auth.db')}`,
      'admin_username = admin',
      'admin_password = bench-admin-password',
      'authorization_function = mlflow.server.auth:authenticate_request_basic_auth',
      'auth_cache_ttl_seconds = 60',
      '',
    ].join('\n'),
  );
  const mlflow = await startMlflow({
    port,
    dataDir,
    extraArgs: ['--app-name', 'basic-auth'],
    env: { MLFLOW_AUTH_CONFIG_PATH: ini, MLFLOW_FLASK_SERVER_SECRET_KEY: 'bench-only-secret', MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false' },
  });
  for (const username of users) {
    const created = await fetch(`${mlflow.url}/api/2.0/mlflow/users/create`, {
      method: 'POST',
      headers: { authorization: basic('admin', 'bench-admin-password'), 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: BENCH_PASSWORD }),
    });
    if (!created.ok) {
      await mlflow.stop();
      throw new Error(`basic-auth: creating the user ${username} answered ${created.status}`);
    }
  }
  const headersOf = (user: string) => ({ authorization: basic(user, BENCH_PASSWORD) });
  return { mlflow, headers: headersOf(users[0]), headersOf };
}

/**
 * MLflow's auth app with this repo's plugin (PORTAL_AUTHZ=mlflow): the shipped ini
 * (mlflow-plugin/descope-auth.ini, owner-only: default_permission = NO_PERMISSIONS) with its
 * store in `dataDir`. Only the portal holding `assertionSecret` can reach it.
 */
export function startRbacMlflow(port: number, dataDir: string, assertionSecret: string): Promise<LocalMlflow> {
  const plugin = withDescopePlugin({ dataDir, assertionSecret });
  return startMlflow({ port, dataDir, extraArgs: plugin.extraArgs, env: { ...plugin.env, MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false' } });
}

/**
 * mlflow-oidc-auth (`--app-name oidc-auth`) against the local OIDC stand-in. The bench client
 * signs in with a password grant and sends the access token as a Bearer token; the user is
 * provisioned on first bearer use (which needs audience and issuer pinned) and owns what it creates.
 */
export async function startOidcMlflow(port: number, dataDir: string, idp: OidcStandIn): Promise<AuthedMlflow> {
  const mlflow = await startMlflow({
    port,
    dataDir,
    mlflowBin: join(repoRoot, '.cache/venv-oidc/bin/mlflow'),
    extraArgs: ['--app-name', 'oidc-auth'],
    env: {
      OIDC_DISCOVERY_URL: idp.discoveryUrl,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_AUDIENCE: idp.clientId,
      OIDC_ISSUER: idp.url,
      OIDC_REDIRECT_URI: `http://127.0.0.1:${port}/callback`,
      OIDC_PROVISION_ON_BEARER_AUTH: 'true',
      OIDC_USERS_DB_URI: `sqlite:///${join(dataDir, 'oidc-auth.db')}`,
      SECRET_KEY: 'bench-only-secret-key-0123456789abcdef',
      MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
    },
  });
  const token = await passwordGrant(idp, 'bench@example.com', BENCH_PASSWORD);
  return { mlflow, headers: { authorization: `Bearer ${token}` } };
}

export const OIDC_USERS = { 'bench@example.com': BENCH_PASSWORD };
