import type { Identity } from '@/lib/auth/identity';
import { ASSERTION_HEADER, type AssertionSigner } from '@/lib/gateway/assertion';
import { DEFAULT_WORKSPACE } from '@/lib/workspaces/tenant-workspaces';

/** One permission a user holds in MLflow, through one of their MLflow roles. */
export interface GrantRow {
  role: string;
  workspace: string;
  resourceType: string;
  /** A resource id, or `*` for every resource of the type. */
  resource: string;
  permission: string;
}

export interface MlflowGrants {
  isAdmin: boolean;
  /**
   * The user's MLflow roles (`name in workspace` outside `default`), without MLflow's per-user
   * grant roles (`__user_…__`) and the plugin's binding role (`descope-user:<sub>`): both are plumbing.
   */
  roles: string[];
  grants: GrantRow[];
}

export type GrantsResult = { ok: true; grants: MlflowGrants } | { ok: false; reason: 'unknown-user' | 'unavailable'; message: string };

interface Deps {
  upstreamUrl: URL;
  signer: AssertionSigner;
}

const PER_USER_ROLE = /^__user_.+__$/;
const BINDING_ROLE = /^descope-user:/;

interface RoleJson {
  name?: unknown;
  workspace?: unknown;
}

async function callMlflow(deps: Deps, path: string, viewer: Identity): Promise<Response> {
  return fetch(new URL(path.replace(/^\//, ''), `${deps.upstreamUrl.href.replace(/\/$/, '')}/`), {
    headers: { [ASSERTION_HEADER]: await deps.signer.assertionFor(viewer), accept: 'application/json' },
    signal: AbortSignal.timeout(5_000),
    cache: 'no-store',
  });
}

function roleLabels(roles: readonly RoleJson[]): string[] {
  const labels = roles.flatMap((role) => {
    const name = String(role.name ?? '');
    if (!name || PER_USER_ROLE.test(name) || BINDING_ROLE.test(name)) return [];
    const workspace = String(role.workspace ?? DEFAULT_WORKSPACE);
    return [workspace === DEFAULT_WORKSPACE ? name : `${name} in ${workspace}`];
  });
  return [...new Set(labels)];
}

function toGrants(body: { is_admin?: boolean; permissions?: Record<string, unknown>[] }, roles: string[]): MlflowGrants {
  const grants = (body.permissions ?? []).map((row) => ({
    role: String(row.role_name ?? ''),
    workspace: String(row.workspace ?? ''),
    resourceType: String(row.resource_type ?? ''),
    resource: String(row.resource_pattern ?? ''),
    permission: String(row.permission ?? ''),
  }));
  return { isAdmin: body.is_admin === true, roles, grants };
}

/**
 * What MLflow's RBAC holds for a user, read from MLflow's own API as `viewer` (the user themself,
 * or an admin): the same rows MLflow enforces. Owners hold MANAGE on what they created.
 */
export async function readMlflowGrants(username: string, viewer: Identity, deps: Deps): Promise<GrantsResult> {
  const self = username === viewer.username;
  const query = `username=${encodeURIComponent(username)}`;
  try {
    const [permissions, roles] = await Promise.all([
      callMlflow(deps, self ? '/api/3.0/mlflow/users/current/permissions' : `/api/3.0/mlflow/users/permissions/list?${query}`, viewer),
      callMlflow(deps, `/api/3.0/mlflow/users/roles/list?${query}`, viewer),
    ]);
    if (permissions.status === 404 || roles.status === 404) {
      return {
        ok: false,
        reason: 'unknown-user',
        message: `MLflow has not seen ${username} yet: MLflow creates the user on their first call through the portal`,
      };
    }
    if (!permissions.ok || !roles.ok)
      return {
        ok: false,
        reason: 'unavailable',
        message: `MLflow answered ${permissions.ok ? roles.status : permissions.status} when asked for the permissions`,
      };
    const roleBody = (await roles.json()) as { roles?: RoleJson[] };
    return { ok: true, grants: toGrants(await permissions.json(), roleLabels(roleBody.roles ?? [])) };
  } catch {
    return { ok: false, reason: 'unavailable', message: 'MLflow did not answer when asked for the permissions' };
  }
}
