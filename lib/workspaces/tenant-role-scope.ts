import type { Config } from '@/lib/config';

/**
 * Where tenant roles count on this portal, for the pages that explain it: each in its own tenant's
 * MLflow workspace (PORTAL_WORKSPACES=tenants), or only those of the tenant named by DESCOPE_TENANT_ID.
 */
export type TenantRoleScope = { kind: 'workspaces'; defaultOpen: boolean; projectRoles: boolean } | { kind: 'one-tenant'; tenantId: string | undefined };

export function tenantRoleScope(config: Pick<Config, 'tenantId' | 'workspaces'>): TenantRoleScope {
  const { workspaces } = config;
  return workspaces
    ? { kind: 'workspaces', defaultOpen: workspaces.defaultOpen, projectRoles: workspaces.projectRoles }
    : { kind: 'one-tenant', tenantId: config.tenantId };
}

/** With tenants as workspaces nobody but an admin has one MLflow level: it is per workspace. */
export function levelIsPerWorkspace(scope: TenantRoleScope, isAdmin: boolean): boolean {
  return scope.kind === 'workspaces' && !isAdmin;
}

/** With tenants as workspaces: what one's level in a workspace is made of, and who else gets `default`. */
export function workspaceLevelRule(scope: TenantRoleScope & { kind: 'workspaces' }): string {
  const level = scope.projectRoles ? "that tenant's roles plus the project roles" : "that tenant's roles alone";
  const fallback = scope.defaultOpen
    ? 'everyone signed in also uses the shared default workspace at their project level'
    : 'a user in no tenant gets no workspace';
  return `the level in a tenant's workspace comes from ${level}; ${fallback} (admins may use any)`;
}

/** Tenants whose roles grant nothing in MLflow here. */
export function uncountedTenants(tenantIds: readonly string[], scope: TenantRoleScope): string[] {
  return scope.kind === 'workspaces' ? [] : tenantIds.filter((tenantId) => tenantId !== scope.tenantId);
}
