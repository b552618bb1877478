import type { Config } from '@/lib/config';
import type { Identity } from '@/lib/auth/identity';
import type { Permission } from '@/lib/auth/permission';
import { mlflowAccessFor } from '@/lib/auth/role-mapping';
import { byName, DEFAULT_WORKSPACE, isWorkspaceName } from '@/lib/workspaces/tenant-workspaces';

export const WORKSPACE_HEADER = 'x-mlflow-workspace';

/** The process's config object itself (answers are memoised per config object). */
type AccessConfig = Pick<Config, 'adminRoles' | 'editorRoles' | 'readerRoles' | 'defaultPermission' | 'workspaces'>;

/** One workspace the caller may use, and what they may do there. */
export interface WorkspaceAccess {
  name: string;
  /** The Descope tenant it belongs to; null for MLflow's `default` workspace. */
  tenantId: string | null;
  /** Whether the name was set by DESCOPE_TENANT_WORKSPACES (the provisioner may adopt such a workspace). */
  explicit: boolean;
  permission: Permission;
  /** The Descope roles that count there: the tenant's, plus project roles when configured. */
  roles: string[];
  /** MLflow membership: MANAGE for the tenant's admin roles (a workspace admin), else USE. */
  access: 'USE' | 'MANAGE';
}

export interface CallerWorkspaces {
  /** Sorted by name; the first is where a call that names no workspace goes. */
  workspaces: WorkspaceAccess[];
  /** Tenants of the caller that map to no usable workspace, with the reason and the fix. */
  problems: string[];
}

/** The person the answer is about: their project roles and their roles per tenant. */
export type WorkspaceSubject = Pick<Identity, 'roles' | 'tenantRoles'>;

const memo = new WeakMap<WorkspaceSubject, { config: AccessConfig; result: CallerWorkspaces }>();

/**
 * Every workspace a subject may use: one per Descope tenant (that tenant's roles decide the level,
 * plus project roles unless PORTAL_WORKSPACE_PROJECT_ROLES=false), and `default` when
 * PORTAL_DEFAULT_WORKSPACE=open (project roles decide). A tenant whose roles map to NONE is left
 * out. Identities are frozen and memoised per token, so this runs once per token. None when
 * PORTAL_WORKSPACES is off.
 */
export function callerWorkspaces(subject: WorkspaceSubject, config: AccessConfig): CallerWorkspaces {
  const hit = memo.get(subject);
  if (hit && hit.config === config) return hit.result;
  if (!config.workspaces) return { workspaces: [], problems: [] };
  const { tenants, defaultOpen, projectRoles } = config.workspaces;
  const workspaces: WorkspaceAccess[] = [];
  const problems: string[] = [];
  const claimedBy = new Map<string, string>();
  // Two tenants on one name isolate nobody: neither keeps it.
  const collided = new Set<string>();
  for (const [tenantId, tenantRoles] of Object.entries(subject.tenantRoles)) {
    const mapped = tenants.workspaceOf(tenantId);
    if (!mapped.ok) {
      problems.push(mapped.reason);
      continue;
    }
    const other = claimedBy.get(mapped.name);
    if (other !== undefined) {
      collided.add(mapped.name);
      problems.push(`tenants ${other} and ${tenantId} both map to workspace ${mapped.name}: set DESCOPE_TENANT_WORKSPACES for one of them`);
      continue;
    }
    claimedBy.set(mapped.name, tenantId);
    const roles = [...new Set([...tenantRoles, ...(projectRoles ? subject.roles : [])])];
    const level = mlflowAccessFor(roles, config);
    if (level.permission === 'NONE' && !level.isAdmin) continue;
    workspaces.push({ name: mapped.name, tenantId, explicit: mapped.explicit, permission: level.permission, roles, access: level.isAdmin ? 'MANAGE' : 'USE' });
  }
  const usable = workspaces.filter((workspace) => !collided.has(workspace.name));
  if (defaultOpen && !usable.some((workspace) => workspace.name === DEFAULT_WORKSPACE)) {
    const level = mlflowAccessFor(subject.roles, config);
    if (level.permission !== 'NONE') {
      usable.push({ name: DEFAULT_WORKSPACE, tenantId: null, explicit: false, permission: level.permission, roles: [...subject.roles], access: 'USE' });
    }
  }
  usable.sort(byName);
  const result = { workspaces: usable, problems };
  memo.set(subject, { config, result });
  return result;
}

/** The workspace a call runs in, and the caller's level there. */
export interface ActiveWorkspace {
  name: string;
  permission: Permission;
  /** Set when the workspace belongs to one of the caller's tenants (admins may use any other). */
  access: WorkspaceAccess | undefined;
}

export type WorkspaceResolution = { ok: true; active: ActiveWorkspace } | { ok: false; code: 'bad_request' | 'forbidden'; message: string };

/**
 * Which workspace a call runs in: the one it names in X-MLFLOW-WORKSPACE if the caller may use it,
 * else, when it names none, the caller's first. Portal admins (MLflow admins) may name any.
 */
export function resolveWorkspace(identity: Identity, requested: string | undefined, config: AccessConfig): WorkspaceResolution {
  const named = requested?.trim();
  const { workspaces, problems } = callerWorkspaces(identity, config);
  if (named) {
    if (!isWorkspaceName(named)) {
      return { ok: false, code: 'bad_request', message: `X-MLFLOW-WORKSPACE ${JSON.stringify(named.slice(0, 80))} is not a workspace name` };
    }
    const access = workspaces.find((workspace) => workspace.name === named);
    if (access) return { ok: true, active: { name: named, permission: access.permission, access } };
    if (identity.isAdmin) return { ok: true, active: { name: named, permission: 'MANAGE', access: undefined } };
    return { ok: false, code: 'forbidden', message: `you are not a member of workspace ${named}${yours(workspaces)}` };
  }
  const first = workspaces[0];
  if (first) return { ok: true, active: { name: first.name, permission: first.permission, access: first } };
  if (identity.isAdmin) return { ok: true, active: { name: DEFAULT_WORKSPACE, permission: 'MANAGE', access: undefined } };
  const why = problems.length > 0 ? problems.join('; ') : 'you belong to no Descope tenant with MLflow access; ask an admin to add you to one';
  return { ok: false, code: 'forbidden', message: `no MLflow workspace for you: ${why}` };
}

function yours(workspaces: readonly WorkspaceAccess[]): string {
  return workspaces.length === 0 ? '' : ` (yours: ${workspaces.map((workspace) => workspace.name).join(', ')})`;
}
