import { requireUser } from '@/lib/auth/require-user';
import { checkHealth } from '@/lib/health';
import { PermissionBadge } from '@/components/permission-badge';

export const dynamic = 'force-dynamic';

const abilities = {
  NONE: 'You cannot open MLflow yet. Ask an admin for a role.',
  READ: 'You can browse experiments, runs, models and artifacts.',
  EDIT: 'You can browse, and create and log experiments, runs, artifacts and models.',
  MANAGE: 'You can do everything, including deleting and restoring.',
} as const;

export default async function HomePage() {
  const identity = await requireUser('/');
  const health = await checkHealth({ probeDescope: false });
  return (
    <div className="space-y-6">
      <section>
        <h1 className="text-2xl font-semibold">Welcome, {identity.name || identity.email || identity.username}</h1>
        <p className="mt-2 flex flex-wrap items-center gap-2 text-slate-600">
          Your MLflow permission <PermissionBadge permission={identity.mlflowPermission} isAdmin={identity.isAdmin} />
        </p>
        <p className="mt-1 text-sm text-slate-600">{abilities[identity.mlflowPermission]}</p>
      </section>
      <section className="grid gap-4 sm:grid-cols-3">
        <QuickLink href="/mlflow/" title="Open MLflow" text="Experiments, runs and the model registry." plain />
        <QuickLink href="/profile" title="Access keys" text="Tokens for notebooks and training jobs." />
        {identity.isAdmin && <QuickLink href="/admin" title="Manage access" text="Assign roles to people." />}
      </section>
      <section className="rounded-xl border border-slate-200 bg-white p-4 text-sm" aria-label="Service status">
        <h2 className="font-medium">Service status</h2>
        <p className="mt-2 flex items-center gap-2">
          <StatusDot ok={health.mlflow.reachable} /> MLflow{' '}
          {health.mlflow.reachable ? `reachable (${health.mlflow.latencyMs} ms)` : 'unreachable'}
        </p>
        <p className="mt-1 flex items-center gap-2">
          <StatusDot ok={health.descope.reachable} /> Descope {health.descope.reachable ? 'reachable' : 'unreachable'}
        </p>
      </section>
    </div>
  );
}

function QuickLink({ href, title, text, plain = false }: { href: string; title: string; text: string; plain?: boolean }) {
  const className = 'block rounded-xl border border-slate-200 bg-white p-4 transition hover:border-sky-400 hover:shadow-sm';
  const body = (
    <>
      <span className="font-medium text-slate-900">{title} →</span>
      <span className="mt-1 block text-sm text-slate-600">{text}</span>
    </>
  );
  return plain ? <a href={href} className={className}>{body}</a> : <a href={href} className={className}>{body}</a>;
}

function StatusDot({ ok }: { ok: boolean }) {
  return <span aria-hidden className={`inline-block h-2.5 w-2.5 rounded-full ${ok ? 'bg-emerald-500' : 'bg-red-500'}`} />;
}
