import Link from 'next/link';
import { requireUser } from '@/lib/auth/require-user';
import { mlflowHealthy, type Health } from '@/lib/health';
import { portalRuntime } from '@/lib/runtime';
import { MlflowLevel } from '@/components/mlflow-level';
import { Card } from '@/components/ui/card';
import { MlflowGrants } from '@/components/mlflow-grants';
import { TenantRolesNote } from '@/components/tenant-roles-note';
import { WorkspacesCard } from '@/components/workspaces-card';
import { callerWorkspaces } from '@/lib/auth/workspace-access';
import { trackingUri } from '@/lib/profile/portal-origin';
import { levelIsPerWorkspace, tenantRoleScope } from '@/lib/workspaces/tenant-role-scope';

export const dynamic = 'force-dynamic';

const abilities = {
  NONE: 'You cannot open MLflow yet. Ask an admin for a role.',
  READ: 'You can browse experiments, runs, models and artifacts.',
  EDIT: 'You can browse, and create and log experiments, runs, artifacts and models.',
  MANAGE: 'You can do everything, including deleting and restoring.',
} as const;

export default async function HomePage() {
  const identity = await requireUser('/');
  // What this process already knows about Descope: a page render does not fetch the JWKS.
  const runtime = portalRuntime();
  const health = await runtime.health({ probeDescope: false });
  // PORTAL_AUTHZ=mlflow: what MLflow's RBAC gives this user, read as themself.
  const grants = identity.username ? await runtime.mlflowGrants(identity.username, identity) : undefined;
  const roles = identity.roles.length > 0 ? identity.roles.join(', ') : 'no role';
  const scope = tenantRoleScope(runtime.config);
  const perWorkspace = levelIsPerWorkspace(scope, identity.isAdmin);
  return (
    <div className="space-y-6">
      <section aria-labelledby="welcome" className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6">
        <p className="text-xs font-semibold uppercase tracking-widest text-sky-700">Signed in</p>
        <h1 id="welcome" className="mt-1 text-2xl font-semibold text-slate-900">
          Welcome, {identity.name || identity.email || identity.username}
        </h1>
        <p className="mt-1 break-all text-sm text-slate-600">
          {identity.email || identity.username} · roles: {roles}
        </p>
        <div className="mt-4 flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <span>Your MLflow permission</span>
          <MlflowLevel permission={identity.mlflowPermission} isAdmin={identity.isAdmin} scope={scope} />
        </div>
        {!perWorkspace && <p className="mt-1 text-sm text-slate-600">{abilities[identity.mlflowPermission]}</p>}
        <div className="mt-2">
          <TenantRolesNote tenants={identity.tenants.filter((tenant) => (identity.tenantRoles[tenant] ?? []).length > 0)} scope={scope} />
        </div>
      </section>

      <nav aria-label="Quick links" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {/* MLflow is served by the gateway, not Next: a plain link, never a client-side route. */}
        <QuickLink href="/mlflow/" title="Open MLflow" text="Experiments, runs and the model registry." external />
        <QuickLink href="/profile" title="Access keys" text="Tokens for notebooks, CI and training jobs." />
        {identity.isAdmin && <QuickLink href="/admin" title="Manage access" text="Find people and assign their roles." />}
      </nav>

      {runtime.config.workspaces && <WorkspacesCard caller={callerWorkspaces(identity, runtime.config)} trackingUri={await trackingUri()} />}
      {grants && <MlflowGrants username={identity.username} result={grants} heading="What you own and were given in MLflow" self />}

      <Card id="service-status" title="Service status" description={`Portal ${health.version}`}>
        <ul className="grid gap-3 text-sm sm:grid-cols-2">
          <StatusItem ok={mlflowHealthy(health.mlflow)} name="MLflow" detail={mlflowDetail(health)} />
          <StatusItem
            ok={health.descope.reachable}
            name="Descope"
            detail={health.descope.reachable ? 'sign-in keys fresh' : 'unreachable: new sign-ins may fail'}
          />
        </ul>
      </Card>
    </div>
  );
}

function mlflowDetail(health: Health): string {
  const { mlflow } = health;
  if (mlflowHealthy(mlflow)) return `${mlflow.version}, reachable (${Math.round(mlflow.latencyMs ?? 0)} ms)`;
  return mlflow.reachable ? `not usable: ${mlflow.error}` : `unreachable${mlflow.error ? `: ${mlflow.error}` : ''}`;
}

function QuickLink({ href, title, text, external = false }: { href: string; title: string; text: string; external?: boolean }) {
  const className =
    'group block rounded-2xl border border-slate-200 bg-white p-4 shadow-sm transition hover:border-sky-400 hover:shadow focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-sky-500';
  const body = (
    <>
      <span className="font-medium text-slate-900 group-hover:text-sky-800">
        {title} <span aria-hidden>→</span>
      </span>
      <span className="mt-1 block text-sm text-slate-600">{text}</span>
    </>
  );
  return external ? (
    <a href={href} className={className}>
      {body}
    </a>
  ) : (
    <Link href={href} className={className}>
      {body}
    </Link>
  );
}

function StatusItem({ ok, name, detail }: { ok: boolean; name: string; detail: string }) {
  return (
    <li className="flex items-center gap-3 rounded-xl bg-slate-50 px-3 py-2.5">
      <span aria-hidden className={`h-2.5 w-2.5 shrink-0 rounded-full ${ok ? 'bg-emerald-500' : 'bg-red-500'}`} />
      <span>
        <span className="font-medium">{name}</span> <span className="sr-only">{ok ? 'up' : 'down'}:</span>
        <span className="text-slate-600">{detail}</span>
      </span>
    </li>
  );
}
