/**
 * Descope tenant ↔ MLflow workspace names. MLflow's names are DNS labels (2–63 characters of
 * a–z, 0–9 and inner `-`); Descope tenant ids and names may hold anything. A tenant's workspace is
 * the slug of its **id** (ids never change; names do, and a renamed tenant must not lose its
 * data), unless DESCOPE_TENANT_WORKSPACES names one. Two tenants that would share a workspace are
 * refused: here when the overrides say so, and by the provisioner (lib/mlflow/workspace-provisioner.ts)
 * when MLflow already holds the workspace for another tenant.
 */
export const DEFAULT_WORKSPACE = 'default';
const WORKSPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])$/;

/** Workspaces in name order (code-unit order, the same everywhere: names are ASCII). */
export const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function isWorkspaceName(name: string): boolean {
  return WORKSPACE_NAME.test(name);
}

/** Lower case; every run of other characters becomes one `-`; trimmed to 63. Undefined when too short. */
export function workspaceSlug(tenantId: string): string | undefined {
  const slug = tenantId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return isWorkspaceName(slug) ? slug : undefined;
}

export type TenantWorkspace = { ok: true; name: string; explicit: boolean } | { ok: false; reason: string };

export interface TenantWorkspaceMap {
  /** tenant id → workspace, as DESCOPE_TENANT_WORKSPACES says. */
  readonly overrides: ReadonlyMap<string, string>;
  workspaceOf(tenantId: string): TenantWorkspace;
}

const fix = (tenantId: string) => `map it with DESCOPE_TENANT_WORKSPACES='${tenantId}=<workspace>'`;

/**
 * Parses `T-acme=acme,T2xyz=team-x`. Throws an Error whose message names the bad entry; the
 * config turns it into a ConfigError naming the variable.
 */
export function tenantWorkspaceMap(raw: string | undefined): TenantWorkspaceMap {
  const overrides = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const entry of (raw ?? '').split(',').map((part) => part.trim())) {
    if (!entry) continue;
    const at = entry.lastIndexOf('=');
    const tenantId = entry.slice(0, at).trim();
    const name = entry.slice(at + 1).trim();
    if (at <= 0 || !tenantId) throw new Error(`"${entry}" is not tenant=workspace`);
    if (!isWorkspaceName(name)) throw new Error(`"${name}" (for tenant ${tenantId}) is not an MLflow workspace name: 2–63 of a–z, 0–9 and inner "-"`);
    if (overrides.has(tenantId)) throw new Error(`tenant ${tenantId} is mapped twice`);
    const owner = owners.get(name);
    if (owner) throw new Error(`tenants ${owner} and ${tenantId} both map to workspace ${name}`);
    overrides.set(tenantId, name);
    owners.set(name, tenantId);
  }
  return {
    overrides,
    workspaceOf(tenantId) {
      const explicit = overrides.get(tenantId);
      if (explicit) return { ok: true, name: explicit, explicit: true };
      const slug = workspaceSlug(tenantId);
      if (!slug) return { ok: false, reason: `tenant ${tenantId} has no usable workspace name (its slug is too short): ${fix(tenantId)}` };
      if (slug === DEFAULT_WORKSPACE) return { ok: false, reason: `tenant ${tenantId} would map to MLflow's shared "default" workspace: ${fix(tenantId)}` };
      const owner = owners.get(slug);
      if (owner)
        return {
          ok: false,
          reason: `tenant ${tenantId} would map to workspace ${slug}, which DESCOPE_TENANT_WORKSPACES gives to tenant ${owner}: ${fix(tenantId)}`,
        };
      return { ok: true, name: slug, explicit: false };
    },
  };
}
