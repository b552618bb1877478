import type { CallerWorkspaces } from '@/lib/auth/workspace-access';
import { Card } from '@/components/ui/card';
import { WorkspaceList } from '@/components/workspace-list';

/** The caller's MLflow workspaces (one per Descope tenant), their level in each, and the client setting. */
export function WorkspacesCard({ caller, trackingUri }: { caller: CallerWorkspaces; trackingUri: string }) {
  const [first, ...others] = caller.workspaces;
  return (
    <Card
      id="workspaces-heading"
      title="Your MLflow workspaces"
      description="Each Descope tenant you belong to has its own MLflow workspace; you see and change data only in these, at that tenant's level."
    >
      <WorkspaceList caller={caller} none="None yet: you belong to no Descope tenant with MLflow access. Ask an admin to add you to one." />
      {first && (
        <pre className="mt-4 overflow-x-auto rounded-lg bg-slate-900 p-3 font-mono text-xs text-slate-100" data-testid="workspace-snippet">
          {`export MLFLOW_TRACKING_URI=${trackingUri}\nexport MLFLOW_WORKSPACE=${first.name}${others.length > 0 ? `   # or: ${others.map((w) => w.name).join(', ')}` : ''}`}
        </pre>
      )}
    </Card>
  );
}
