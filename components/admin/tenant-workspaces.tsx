import type { Outcome } from '@/lib/descope/management';
import type { TenantWorkspaceState, WorkspaceOverview } from '@/lib/admin/workspace-overview';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Notice } from '@/components/ui/notice';
import { ManagementError } from '@/components/admin/management-error';

const states: Record<TenantWorkspaceState, { label: string; style: string }> = {
  ready: { label: 'ready', style: 'bg-emerald-100 text-emerald-800' },
  'first-use': { label: 'on first use', style: 'bg-sky-100 text-sky-800' },
  refused: { label: 'refused', style: 'bg-red-100 text-red-800' },
  unknown: { label: 'unknown', style: 'bg-slate-100 text-slate-700' },
};

/** PORTAL_WORKSPACES=tenants: which MLflow workspace each Descope tenant has, and whether it works. */
export function TenantWorkspaces({ overview }: { overview: Outcome<WorkspaceOverview> }) {
  const description = (
    <>
      Each Descope tenant is one MLflow workspace; members see and change data only in their tenants&apos;. The shared <code>default</code> workspace is{' '}
      {overview.ok && overview.data.defaultOpen ? 'open to every signed-in user at their project level' : 'closed: admins only'}.
    </>
  );
  return (
    <Card id="tenant-workspaces-heading" title="Tenants and workspaces" description={description}>
      {!overview.ok ? (
        <ManagementError failure={overview.failure} message={overview.message} />
      ) : (
        <div className="space-y-3">
          {overview.data.listingProblem && (
            <Notice tone="warning" testId="workspace-listing-problem">
              {overview.data.listingProblem}
            </Notice>
          )}
          {overview.data.rows.length === 0 ? (
            <EmptyState title="No tenants yet">Create tenants in Descope; each gets its workspace on its members&apos; first call.</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100 text-sm" data-testid="tenant-workspaces">
              {overview.data.rows.map((row) => (
                <li key={row.tenant.id} className="py-2" data-testid={`tenant-${row.tenant.id}`}>
                  <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                    <span className="font-medium text-slate-900">{row.tenant.name}</span>
                    <span aria-hidden className="text-slate-400">
                      →
                    </span>
                    {row.workspace ? <code className="font-mono">{row.workspace}</code> : <span className="text-slate-500">no workspace</span>}
                    <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${states[row.state].style}`} data-testid="workspace-state">
                      {states[row.state].label}
                    </span>
                  </div>
                  <p className="mt-0.5 break-words text-xs text-slate-600">
                    <span className="font-mono">{row.tenant.id}</span>
                    {row.explicit ? ' · set by DESCOPE_TENANT_WORKSPACES' : ''} · {row.note}
                  </p>
                </li>
              ))}
            </ul>
          )}
          {overview.data.unmapped.length > 0 && (
            <p className="text-xs text-slate-600" data-testid="unmapped-workspaces">
              In MLflow but no tenant&apos;s: {overview.data.unmapped.map((workspace) => workspace.name).join(', ')} (admins only).
            </p>
          )}
        </div>
      )}
    </Card>
  );
}
