import 'server-only';
import { notConfigured, type AccessKeyInfo, type DirectoryUser, type Outcome, type RoleInfo, type TenantInfo } from '@/lib/descope/management';
import type { AuditRecord } from '@/lib/observability/audit';
import { portalRuntime } from '@/lib/runtime';
import { accessOf, workspacesOf, type EffectiveAccess } from '@/lib/admin/effective-access';
import type { WorkspaceAccess } from '@/lib/auth/workspace-access';
import { workspaceOverview, type WorkspaceOverview } from '@/lib/admin/workspace-overview';

export const USERS_PAGE_SIZE = 10;

export interface UserRow {
  user: DirectoryUser;
  access: EffectiveAccess;
  /** PORTAL_WORKSPACES=tenants: their level per workspace (the one level above then holds only for admins). */
  workspaces?: WorkspaceAccess[];
}

export interface UserList {
  rows: UserRow[];
  total: number;
  page: number;
  pageSize: number;
  query: string;
}

/** One page of the user directory, with each user's resulting MLflow permission. */
export async function loadUserList(query: string, page: number): Promise<Outcome<UserList>> {
  const { management } = portalRuntime();
  if (!management) return notConfigured();
  const found = await management.searchUsers(query, page, USERS_PAGE_SIZE);
  if (!found.ok) return found;
  const { config } = portalRuntime();
  const rows = found.data.users.map((user) => ({
    user,
    access: accessOf(user, config),
    workspaces: config.workspaces ? workspacesOf(user, config).workspaces : undefined,
  }));
  return { ok: true, data: { rows, total: found.data.total, page, pageSize: USERS_PAGE_SIZE, query } };
}

export interface UserDetail extends UserRow {
  roles: RoleInfo[];
  tenants: TenantInfo[];
  /** Their access keys; a failure here leaves the rest of the page usable. */
  keys: Outcome<AccessKeyInfo[]>;
}

/** A user with everything the role editor offers (the project's roles and tenants), and their access keys. */
export async function loadUserDetail(loginId: string): Promise<Outcome<UserDetail>> {
  const { management } = portalRuntime();
  if (!management) return notConfigured();
  const [user, roles, tenants] = await Promise.all([management.loadUser(loginId), management.listRoles(), management.listTenants()]);
  if (!user.ok) return user;
  if (!roles.ok) return roles;
  if (!tenants.ok) return tenants;
  const keys = await management.listKeys(user.data.userId);
  return { ok: true, data: { user: user.data, access: accessOf(user.data, portalRuntime().config), roles: roles.data, tenants: tenants.data, keys } };
}

/** PORTAL_WORKSPACES=tenants: every Descope tenant, its workspace and whether MLflow holds it; else undefined. */
export async function loadWorkspaceOverview(): Promise<Outcome<WorkspaceOverview> | undefined> {
  const { config, management, mlflowWorkspaces } = portalRuntime();
  const listing = mlflowWorkspaces();
  if (!config.workspaces || !listing) return undefined;
  if (!management) return notConfigured();
  const [tenants, held] = await Promise.all([management.listTenants(), listing]);
  if (!tenants.ok) return tenants;
  return { ok: true, data: workspaceOverview(tenants.data, held, config.workspaces) };
}

export async function loadRoleCatalog(): Promise<Outcome<RoleInfo[]>> {
  const { management } = portalRuntime();
  return management ? management.listRoles() : notConfigured();
}

/** Admin changes and access-key events, newest first; an unreadable audit file is an empty panel. */
export async function loadRecentChanges(target?: string, limit = 8): Promise<{ events: AuditRecord[]; unreadable: boolean }> {
  try {
    return { events: await portalRuntime().audit.recent({ actionPrefixes: ['admin.', 'accesskey.'], target, limit }), unreadable: false };
  } catch {
    return { events: [], unreadable: true };
  }
}
