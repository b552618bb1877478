import type { CallerWorkspaces } from '@/lib/auth/workspace-access';
import { PermissionBadge } from '@/components/permission-badge';
import { RoleChips } from '@/components/ui/role-chip';

/** Someone's MLflow workspaces with their level and the roles that count in each, and the tenants that map to none. */
export function WorkspaceList({ caller, none }: { caller: CallerWorkspaces; none: string }) {
  return (
    <>
      {caller.workspaces.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="no-workspaces">
          {none}
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm" data-testid="workspaces">
          {caller.workspaces.map((workspace) => (
            <li key={workspace.name} className="flex flex-wrap items-center gap-3 py-2" data-testid={`workspace-${workspace.name}`}>
              <code className="font-mono font-medium">{workspace.name}</code>
              <span className="text-slate-500">{workspace.tenantId ? `tenant ${workspace.tenantId}` : 'shared default workspace'}</span>
              <PermissionBadge permission={workspace.permission} isAdmin={workspace.access === 'MANAGE'} />
              <RoleChips roles={workspace.roles} empty="no role" />
            </li>
          ))}
        </ul>
      )}
      {caller.problems.length > 0 && (
        <ul className="mt-3 list-disc space-y-1 pl-5 text-xs text-amber-800" data-testid="workspace-problems">
          {caller.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
    </>
  );
}
