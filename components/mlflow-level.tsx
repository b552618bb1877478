import type { Permission } from '@/lib/auth/permission';
import { levelIsPerWorkspace, type TenantRoleScope } from '@/lib/workspaces/tenant-role-scope';
import { PermissionBadge } from '@/components/permission-badge';

/**
 * The MLflow level someone's roles add up to. With tenants as workspaces there is no one level:
 * it is per workspace (listed on the page), except for admins, who manage every workspace.
 */
export function MlflowLevel({ permission, isAdmin, scope, who = 'your' }: { permission: Permission; isAdmin: boolean; scope: TenantRoleScope; who?: string }) {
  if (levelIsPerWorkspace(scope, isAdmin))
    return (
      <span className="text-slate-600" data-testid="mlflow-level-per-workspace">
        per workspace: see {who} MLflow workspaces
      </span>
    );
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <PermissionBadge permission={permission} isAdmin={isAdmin} />
      {scope.kind === 'workspaces' && <span className="text-slate-600">in every workspace</span>}
    </span>
  );
}
