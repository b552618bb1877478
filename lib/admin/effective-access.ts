import type { Config } from '@/lib/config';
import type { Permission } from '@/lib/auth/permission';
import { effectiveRoles } from '@/lib/auth/identity-from-claims';
import { mlflowAccessFor } from '@/lib/auth/role-mapping';
import { callerWorkspaces, type CallerWorkspaces } from '@/lib/auth/workspace-access';

type AccessConfig = Pick<Config, 'adminRoles' | 'editorRoles' | 'readerRoles' | 'defaultPermission' | 'tenantId'>;

interface RoleHolder {
  roles: readonly string[];
  tenants: readonly { tenantId: string; roles: readonly string[] }[];
}

export interface EffectiveAccess {
  /** The roles that count: project roles plus DESCOPE_TENANT_ID's tenant roles. */
  roles: string[];
  permission: Permission;
  isAdmin: boolean;
}

/** The MLflow permission a directory user gets at their next sign-in, by the same rules as a session. */
export function accessOf(user: RoleHolder, config: AccessConfig): EffectiveAccess {
  const roles = effectiveRoles(user.roles, tenantRolesOf(user), config.tenantId);
  return { roles, ...mlflowAccessFor(roles, config) };
}

/** PORTAL_WORKSPACES=tenants: a directory user's workspaces and level in each, by the gateway's own rules. */
export function workspacesOf(user: RoleHolder, config: Parameters<typeof callerWorkspaces>[1]): CallerWorkspaces {
  return callerWorkspaces({ roles: [...user.roles], tenantRoles: tenantRolesOf(user) }, config);
}

/** A directory user's roles per tenant, shaped as a session's `tenantRoles`. */
function tenantRolesOf(user: RoleHolder): Record<string, string[]> {
  return Object.fromEntries(user.tenants.map((tenant) => [tenant.tenantId, [...tenant.roles]]));
}

/** The same user with one role taken away (project-level, or in one tenant). */
export function withoutRole<T extends RoleHolder>(user: T, role: string, tenantId: string | undefined): T {
  if (!tenantId) return { ...user, roles: user.roles.filter((held) => held !== role) };
  return {
    ...user,
    tenants: user.tenants.map((tenant) => (tenant.tenantId === tenantId ? { ...tenant, roles: tenant.roles.filter((held) => held !== role) } : tenant)),
  };
}

/** What a role grants in MLflow by itself, for the role list. */
export function grantOf(role: string, config: AccessConfig): string {
  if (config.adminRoles.includes(role)) return 'MANAGE + admin';
  if (config.editorRoles.includes(role)) return 'EDIT';
  if (config.readerRoles.includes(role)) return 'READ';
  return 'no MLflow access';
}
