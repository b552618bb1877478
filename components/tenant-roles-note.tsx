import { uncountedTenants, type TenantRoleScope } from '@/lib/workspaces/tenant-role-scope';

/**
 * Says where tenant roles count, next to where they appear: in each tenant's own MLflow workspace,
 * or only for the tenant named by DESCOPE_TENANT_ID (the rest are shown but grant nothing).
 */
export function TenantRolesNote({ tenants, scope, who = 'your' }: { tenants: readonly string[]; scope: TenantRoleScope; who?: string }) {
  if (tenants.length === 0) return null;
  if (scope.kind === 'workspaces')
    return (
      <p className="text-xs text-slate-600" data-testid="tenant-roles-note">
        Roles in a tenant count in that tenant&apos;s own MLflow workspace, and nowhere else: {who} level in each is listed under the workspaces.
      </p>
    );
  const uncounted = uncountedTenants(tenants, scope);
  if (uncounted.length === 0) return null;
  return (
    <p className="text-xs text-slate-600" data-testid="tenant-roles-note">
      Roles in {uncounted.join(', ')} do not change {who} MLflow permission on this portal: it counts only the roles of the tenant named by{' '}
      <code className="font-mono">DESCOPE_TENANT_ID</code> ({scope.tenantId ?? 'not set here'}). With{' '}
      <code className="font-mono">PORTAL_WORKSPACES=tenants</code> each tenant gets its own MLflow workspace instead.
    </p>
  );
}
