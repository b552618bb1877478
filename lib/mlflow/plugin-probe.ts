import type { Identity } from '@/lib/auth/identity';
import { ASSERTION_HEADER, type AssertionSigner } from '@/lib/gateway/assertion';

export interface PluginStatus {
  /** True when MLflow runs the auth app with this repo's plugin and accepts the portal's assertion. */
  ok: boolean;
  error?: string;
}

// The identity the health checks assert. MLflow's plugin creates it on first sight like any user.
// It is an MLflow admin because proving which MLflow answers means reading the .portal-upstream-id
// file at the artifact root, which belongs to no experiment; nobody can sign in as it (only the
// portal signs assertions), and it holds no roles.
export const PROBE_IDENTITY: Identity = Object.freeze({
  userId: 'portal-health-probe',
  username: 'portal-health-probe',
  email: '',
  name: 'Portal health probe',
  roles: [],
  permissions: [],
  tenants: [],
  tenantRoles: {},
  mlflowPermission: 'MANAGE',
  isAdmin: true,
  via: 'bearer-session',
});

/**
 * PORTAL_AUTHZ=mlflow only works when MLflow runs `--app-name basic-auth` with the plugin and the
 * same PORTAL_ASSERTION_SECRET. `users/current` with a signed assertion tells each case apart: the
 * plugin answers `is_basic_auth: false`, MLflow's own Basic login `true`, a plain MLflow 404, and a
 * secret mismatch 401.
 */
/** Headers for the portal's own calls to MLflow (health probes): the probe identity's assertion. */
export async function probeHeaders(signer: AssertionSigner): Promise<Record<string, string>> {
  return { [ASSERTION_HEADER]: await signer.assertionFor(PROBE_IDENTITY) };
}

export async function probeMlflowPlugin(upstreamUrl: URL, signer: AssertionSigner): Promise<PluginStatus> {
  let response: Response;
  try {
    response = await fetch(new URL('api/2.0/mlflow/users/current', `${upstreamUrl.href.replace(/\/$/, '')}/`), {
      headers: { ...(await probeHeaders(signer)), accept: 'application/json' },
      signal: AbortSignal.timeout(2_000),
      cache: 'no-store',
    });
  } catch {
    return { ok: false, error: 'MLflow did not answer the plugin check' };
  }
  const body = (await response.json().catch(() => ({}))) as { is_basic_auth?: unknown; message?: unknown };
  if (response.status === 404)
    return {
      ok: false,
      error:
        'PORTAL_AUTHZ=mlflow, but MLflow does not run its auth app: start it with --app-name basic-auth and MLFLOW_AUTH_CONFIG_PATH naming mlflow-plugin/descope-auth.ini',
    };
  if (response.status === 401) {
    const said = typeof body.message === 'string' ? ` (MLflow: ${body.message.slice(0, 200)})` : '';
    return {
      ok: false,
      error: `MLflow refused the portal's assertion: PORTAL_ASSERTION_SECRET differs between the portal and MLflow, or the plugin is not configured${said}`,
    };
  }
  if (!response.ok) return { ok: false, error: `MLflow answered ${response.status} to the plugin check` };
  if (body.is_basic_auth !== false)
    return {
      ok: false,
      error:
        "MLflow runs its auth app with its own Basic login, not the portal's plugin: set authorization_function in the ini (see mlflow-plugin/descope-auth.ini)",
    };
  return { ok: true };
}
