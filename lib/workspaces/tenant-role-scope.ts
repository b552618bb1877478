import type { Config } from '@/lib/config';

/**
 * Where tenant roles count on this portal, for the pages that explain it: each in its own tenant's
 * MLflow workspace (PORTAL_WORKSPACES=tenants), or only those of the tenant named by DESCOPE_TENANT_ID.
 */
export type TenantRoleScope = { kind: 'workspaces' } | { kind: 'one-tenant'; tenantId: string | undefined };

export function tenantRoleScope(config: Pick<Config, 'tenantId' | 'workspaces'>): TenantRoleScope {
  return config.workspaces ? { kind: 'workspaces' } : { kind: 'one-tenant', tenantId: config.tenantId };
}

/** Tenants whose roles grant nothing in MLflow here. */
export function uncountedTenants(tenantIds: readonly string[], scope: TenantRoleScope): string[] {
  return scope.kind === 'workspaces' ? [] : tenantIds.filter((tenantId) => tenantId !== scope.tenantId);
}
