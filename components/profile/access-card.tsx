import type { Identity } from '@/lib/auth/identity';
import { levelIsPerWorkspace, type TenantRoleScope } from '@/lib/workspaces/tenant-role-scope';
import { MlflowLevel } from '@/components/mlflow-level';
import { Card } from '@/components/ui/card';
import { RoleChips } from '@/components/ui/role-chip';
import { TenantRolesNote } from '@/components/tenant-roles-note';

const meaning = {
  NONE: 'No MLflow access yet. Ask an admin for a role such as mlflow-reader.',
  READ: 'Browse experiments, runs, models and artifacts.',
  EDIT: 'Browse, and create and log experiments, runs, artifacts and models.',
  MANAGE: 'Everything, including deleting and restoring.',
} as const;

/** Your roles (project and per tenant), permissions, and the MLflow permission they add up to. */
export function AccessCard({ identity, scope }: { identity: Identity; scope: TenantRoleScope }) {
  const tenants = Object.entries(identity.tenantRoles);
  const perWorkspace = levelIsPerWorkspace(scope, identity.isAdmin);
  return (
    <Card id="access-heading" title="Your access" description="Roles come from Descope; the portal maps them to an MLflow permission.">
      <dl className="grid gap-x-6 gap-y-4 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="text-slate-500">MLflow permission</dt>
        <dd className="space-y-1">
          <MlflowLevel permission={identity.mlflowPermission} isAdmin={identity.isAdmin} scope={scope} />
          {!perWorkspace && <p className="text-slate-600">{meaning[identity.mlflowPermission]}</p>}
        </dd>
        <dt className="text-slate-500">Roles</dt>
        <dd data-testid="profile-roles">
          <RoleChips roles={identity.roles} />
        </dd>
        <dt className="text-slate-500">Tenant roles</dt>
        <dd>
          {tenants.length === 0 ? (
            <span className="text-slate-500">no tenant</span>
          ) : (
            <div className="space-y-2">
              <ul className="space-y-1.5">
                {tenants.map(([tenantId, roles]) => (
                  <li key={tenantId} className="flex flex-wrap items-center gap-2">
                    <span className="font-medium">{tenantId}</span>
                    <RoleChips roles={roles} empty="no role" />
                  </li>
                ))}
              </ul>
              <TenantRolesNote tenants={tenants.filter(([, roles]) => roles.length > 0).map(([tenantId]) => tenantId)} scope={scope} />
            </div>
          )}
        </dd>
        <dt className="text-slate-500">Permissions</dt>
        <dd data-testid="profile-permissions" className="min-w-0 space-y-1 break-words">
          {identity.permissions.length > 0 ? <p>{identity.permissions.join(', ')}</p> : <p className="text-slate-500">none</p>}
          <p className="text-xs text-slate-600">
            Descope permissions attached to your roles (most projects define none). The portal passes them on to MLflow but grants nothing by them: your roles
            alone decide the MLflow permission above.
          </p>
        </dd>
      </dl>
    </Card>
  );
}
