/**
 * Tenant roles count only for the tenant named by DESCOPE_TENANT_ID; the rest are shown but grant
 * nothing in MLflow here (until tenants become MLflow workspaces). Says so where such roles appear.
 */
export function uncountedTenants(tenantIds: readonly string[], countedTenant: string | undefined): string[] {
  return tenantIds.filter((tenantId) => tenantId !== countedTenant);
}

export function TenantRolesNote({ tenants, countedTenant, who = 'your' }: { tenants: readonly string[]; countedTenant: string | undefined; who?: string }) {
  const uncounted = uncountedTenants(tenants, countedTenant);
  if (uncounted.length === 0) return null;
  return (
    <p className="text-xs text-slate-600" data-testid="tenant-roles-note">
      Roles in {uncounted.join(', ')} do not change {who} MLflow permission on this portal: it counts only the roles of the tenant named by{' '}
      <code className="font-mono">DESCOPE_TENANT_ID</code> ({countedTenant ? countedTenant : 'not set here'}). They will count once tenants become MLflow
      workspaces.
    </p>
  );
}
