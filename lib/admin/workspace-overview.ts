import type { WorkspaceSettings } from '@/lib/config';
import type { TenantInfo } from '@/lib/descope/management';
import type { MlflowWorkspace, WorkspaceListing } from '@/lib/mlflow/workspace-provisioner';
import { DEFAULT_WORKSPACE } from '@/lib/workspaces/tenant-workspaces';

/**
 * - `ready`: MLflow holds the workspace for this tenant (or an override adopted an existing one).
 * - `first-use`: not in MLflow yet; the portal creates it on the first call of a member.
 * - `refused`: members of the tenant get 403 with `note` (no usable name, or the name is another's).
 * - `unknown`: the mapping only; MLflow's list could not be read.
 */
export type TenantWorkspaceState = 'ready' | 'first-use' | 'refused' | 'unknown';

export interface TenantWorkspaceRow {
  tenant: TenantInfo;
  /** The workspace the tenant maps to; undefined when it has no usable name. */
  workspace: string | undefined;
  /** Named by DESCOPE_TENANT_WORKSPACES rather than the tenant id's slug. */
  explicit: boolean;
  state: TenantWorkspaceState;
  note: string;
}

export interface WorkspaceOverview {
  rows: TenantWorkspaceRow[];
  /** Workspaces in MLflow that no Descope tenant maps to (a deleted tenant's, or made in MLflow). */
  unmapped: MlflowWorkspace[];
  defaultOpen: boolean;
  /** Set when MLflow's list could not be read. */
  listingProblem: string | undefined;
}

/**
 * The admin page's tenants ↔ workspaces table: the same mapping and ownership rules the gateway
 * and the provisioner apply (tenant-workspaces.ts, workspace-provisioner.ts), told ahead of use.
 */
export function workspaceOverview(tenants: readonly TenantInfo[], listing: WorkspaceListing, settings: WorkspaceSettings): WorkspaceOverview {
  const inMlflow = listing.ok ? new Map(listing.workspaces.map((workspace) => [workspace.name, workspace])) : undefined;
  const mapped = tenants.map((tenant) => ({ tenant, result: settings.tenants.workspaceOf(tenant.id) }));
  const tenantsOn = new Map<string, string[]>();
  for (const { tenant, result } of mapped) if (result.ok) tenantsOn.set(result.name, [...(tenantsOn.get(result.name) ?? []), tenant.id]);

  const rows = mapped.map(({ tenant, result }): TenantWorkspaceRow => {
    if (!result.ok) return { tenant, workspace: undefined, explicit: false, state: 'refused', note: result.reason };
    const row = { tenant, workspace: result.name, explicit: result.explicit };
    const others = (tenantsOn.get(result.name) ?? []).filter((id) => id !== tenant.id);
    if (!inMlflow) return { ...row, state: 'unknown', note: 'MLflow’s workspaces could not be read' };
    const existing = inMlflow.get(result.name);
    if (!existing) {
      if (others.length > 0)
        return {
          ...row,
          state: 'first-use',
          note: `shares its name with tenant ${others.join(', ')}: the first one used keeps it; map one with DESCOPE_TENANT_WORKSPACES`,
        };
      return { ...row, state: 'first-use', note: 'created in MLflow on a member’s first call' };
    }
    if (existing.ownerTenantId === tenant.id) return { ...row, state: 'ready', note: 'in MLflow' };
    if (existing.ownerTenantId === undefined && result.explicit)
      return { ...row, state: 'ready', note: 'an existing MLflow workspace, adopted by DESCOPE_TENANT_WORKSPACES' };
    if (existing.ownerTenantId === undefined)
      return {
        ...row,
        state: 'refused',
        note: `MLflow already holds ${result.name}, not made for this tenant: adopt it or pick another name with DESCOPE_TENANT_WORKSPACES`,
      };
    return {
      ...row,
      state: 'refused',
      note: `${result.name} belongs to tenant ${existing.ownerTenantId}: map this tenant elsewhere with DESCOPE_TENANT_WORKSPACES`,
    };
  });

  const used = new Set(rows.flatMap((row) => (row.workspace && row.state !== 'refused' ? [row.workspace] : [])));
  const unmapped = listing.ok ? listing.workspaces.filter((workspace) => workspace.name !== DEFAULT_WORKSPACE && !used.has(workspace.name)) : [];
  return { rows, unmapped, defaultOpen: settings.defaultOpen, listingProblem: listing.ok ? undefined : listing.message };
}
