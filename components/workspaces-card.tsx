import type { CallerWorkspaces } from '@/lib/auth/workspace-access';
import { PermissionBadge } from '@/components/permission-badge';
import { Card } from '@/components/ui/card';
import { RoleChips } from '@/components/ui/role-chip';

/** The caller's MLflow workspaces (one per Descope tenant), their level in each, and the client setting. */
export function WorkspacesCard({ caller, trackingUri }: { caller: CallerWorkspaces; trackingUri: string }) {
  const [first] = caller.workspaces;
  return (
    <Card
      id="workspaces-heading"
      title="Your MLflow workspaces"
      description="Each Descope tenant you belong to has its own MLflow workspace; you see and change data only in these, at that tenant's level."
    >
      {caller.workspaces.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="no-workspaces">
          None yet: you belong to no Descope tenant with MLflow access. Ask an admin to add you to one.
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
      {first && (
        <pre className="mt-4 overflow-x-auto rounded-lg bg-slate-900 p-3 font-mono text-xs text-slate-100" data-testid="workspace-snippet">
          {`export MLFLOW_TRACKING_URI=${trackingUri}\nexport MLFLOW_WORKSPACE=${first.name}   # or: ${caller.workspaces.map((w) => w.name).join(', ')}`}
        </pre>
      )}
    </Card>
  );
}
