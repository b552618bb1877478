import type { WorkspaceAccess } from '@/lib/auth/workspace-access';
import type { AssertionSigner } from '@/lib/gateway/assertion';
import { probeHeaders } from '@/lib/mlflow/plugin-probe';
import { byName } from '@/lib/workspaces/tenant-workspaces';

export type Provisioned = { ok: true } | { ok: false; code: 'forbidden' | 'upstream_unavailable'; message: string };

/** A workspace as MLflow holds it, and the Descope tenant the portal created it for (if it did). */
export interface MlflowWorkspace {
  name: string;
  ownerTenantId: string | undefined;
}

export type WorkspaceListing = { ok: true; workspaces: MlflowWorkspace[] } | { ok: false; message: string };

export interface WorkspaceProvisioner {
  /** Makes sure the tenant's workspace exists in MLflow and is that tenant's. */
  ensure(workspace: WorkspaceAccess): Promise<Provisioned>;
  /** Every workspace in MLflow, read as its admin (the admin page's tenants ↔ workspaces table). */
  list(): Promise<WorkspaceListing>;
}

interface WorkspaceJson {
  name?: string;
  description?: string;
}

/** What MLflow answers on workspaces get, create and list, or its error JSON. */
interface WorkspaceAnswer {
  workspace?: WorkspaceJson;
  workspaces?: WorkspaceJson[];
  message?: unknown;
}

// Written into the description of every workspace the portal creates: which tenant owns it.
const OWNER_MARK = /\[descope-tenant:([^\]]+)\]/;
const ownerOf = (workspace: WorkspaceJson | undefined) => OWNER_MARK.exec(String(workspace?.description ?? ''))?.[1];
// MLflow's own reason from its error JSON, short, for the portal's message.
const said = (json: WorkspaceAnswer) => (typeof json.message === 'string' ? `: ${json.message.slice(0, 200)}` : '');
const describe = (tenantId: string) => `Descope tenant ${tenantId}, kept by the MLflow Descope Portal [descope-tenant:${tenantId}]`;
// Workspaces are few (one per tenant) and their owner never changes: remember the good ones.
const MAX_REMEMBERED = 10_000;

/**
 * A tenant's workspace is created on its first use, by the portal, as MLflow's admin: MLflow
 * resolves a call's workspace before any auth plugin runs, so the first call into a missing one
 * would fail before the plugin could create it. The description records the owning tenant; a
 * workspace that exists for another tenant (two tenant ids with one slug) or that no tenant owns
 * is refused, unless DESCOPE_TENANT_WORKSPACES names it for this tenant (then it is adopted, e.g.
 * a team's existing workspace). One check per workspace per process; concurrent first calls share it.
 */
export function createWorkspaceProvisioner(deps: { upstreamUrl: URL; signer: AssertionSigner }): WorkspaceProvisioner {
  const settled = new Set<string>();
  const inFlight = new Map<string, Promise<Provisioned>>();
  const base = `${deps.upstreamUrl.href.replace(/\/$/, '')}/api/3.0/mlflow/workspaces`;

  async function call(method: 'GET' | 'POST', url: string, body?: unknown): Promise<{ status: number; json: WorkspaceAnswer }> {
    const response = await fetch(url, {
      method,
      headers: { ...(await probeHeaders(deps.signer)), accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(5_000),
      cache: 'no-store',
    });
    return { status: response.status, json: (await response.json().catch(() => ({}))) as WorkspaceAnswer };
  }

  async function check(workspace: WorkspaceAccess & { tenantId: string }): Promise<Provisioned> {
    const url = `${base}/${encodeURIComponent(workspace.name)}`;
    let found = await call('GET', url);
    if (found.status === 404) {
      const created = await call('POST', base, { name: workspace.name, description: describe(workspace.tenantId) });
      // MLflow answers 201 with the workspace. On anything else another portal instance may have
      // created it a moment ago: read what is there.
      found = created.status === 201 ? { status: 200, json: created.json } : await call('GET', url);
    }
    if (found.status !== 200) {
      return { ok: false, code: 'upstream_unavailable', message: `MLflow could not provide workspace ${workspace.name} (${found.status}${said(found.json)})` };
    }
    const owner = ownerOf(found.json.workspace);
    if (owner === workspace.tenantId || (owner === undefined && workspace.explicit)) return { ok: true };
    const fix = `set DESCOPE_TENANT_WORKSPACES='${workspace.tenantId}=<another workspace>'`;
    return {
      ok: false,
      code: 'forbidden',
      message:
        owner === undefined
          ? `workspace ${workspace.name} already exists in MLflow and was not made for Descope tenant ${workspace.tenantId}: to adopt it, map the tenant to it in DESCOPE_TENANT_WORKSPACES; otherwise ${fix}`
          : `workspace ${workspace.name} belongs to Descope tenant ${owner}, not ${workspace.tenantId} (their ids share a slug): ${fix}`,
    };
  }

  return {
    async list() {
      try {
        const { status, json } = await call('GET', base);
        if (status !== 200)
          return {
            ok: false,
            message: `MLflow answered ${status} listing its workspaces${said(json)}`,
          };
        const workspaces = (json.workspaces ?? []).flatMap((workspace) =>
          workspace.name ? [{ name: workspace.name, ownerTenantId: ownerOf(workspace) }] : [],
        );
        return { ok: true, workspaces: workspaces.sort(byName) };
      } catch {
        return { ok: false, message: 'MLflow did not answer when the portal listed its workspaces' };
      }
    },
    async ensure(workspace) {
      const { tenantId } = workspace;
      if (tenantId === null) return { ok: true };
      // Per tenant and name: a second tenant on the same name gets its own (failing) check.
      const key = `${tenantId}\n${workspace.name}`;
      if (settled.has(key)) return { ok: true };
      let pending = inFlight.get(key);
      if (!pending) {
        pending = check({ ...workspace, tenantId })
          .catch((): Provisioned => ({
            ok: false,
            code: 'upstream_unavailable',
            message: `MLflow did not answer while the portal checked workspace ${workspace.name}`,
          }))
          .finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      const result = await pending;
      if (result.ok) {
        if (settled.size >= MAX_REMEMBERED) settled.clear();
        settled.add(key);
      }
      return result;
    },
  };
}
