import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { headers } from 'next/headers';
import { safeNextPath } from '@/lib/auth/safe-next';
import { decisionRequestFromHeaders } from '@/lib/http/request-facts';
import { portalRuntime } from '@/lib/runtime';
import { DescopeLogin } from '@/components/descope-login';
import { DemoSignIn } from '@/components/demo-sign-in';

export const metadata: Metadata = { title: 'Sign in' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const runtime = portalRuntime();
  const { config } = runtime;
  const next = safeNextPath(first(params.next), config.redirectPath);
  const error = first(params.error)?.slice(0, 300);

  // Already signed in (and allowed in): no reason to show the login page again.
  const requestHeaders = await headers();
  const current = await runtime.decide(decisionRequestFromHeaders(requestHeaders, config, { method: 'GET', pathWithQuery: next }), { permission: 'READ' });
  if (current.type === 'allow' && !error) redirect(next);

  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-10">
      <div className="mb-6 text-center">
        <p className="text-xs font-semibold uppercase tracking-widest text-sky-700">MLflow Portal</p>
        <h1 className="mt-2 text-2xl font-semibold">Sign in to MLflow</h1>
        <p className="mt-1 text-sm text-slate-600">Your experiments, runs and models, behind your team&apos;s sign-in.</p>
      </div>
      <section className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
        <ModeBadge emulator={config.emulatorMode} />
        {error && (
          <p role="alert" className="mb-4 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            {error}
          </p>
        )}
        {config.emulatorMode ? (
          <DemoSignIn next={next} />
        ) : (
          <DescopeLogin projectId={config.projectId} baseUrl={config.descopeBaseUrl} flowId={config.flowId} next={next} />
        )}
      </section>
      <p className="mt-6 text-center text-xs text-slate-500">
        Programs sign in with a Descope access key: <code className="font-mono">MLFLOW_TRACKING_TOKEN</code>.
      </p>
    </main>
  );
}

function ModeBadge({ emulator }: { emulator: boolean }) {
  return emulator ? (
    <p className="mb-4 rounded-lg bg-amber-50 px-3 py-2 text-xs text-amber-900" data-testid="login-mode">
      <strong>Local emulator mode.</strong> Sign-in is served by the bundled Descope emulator, for development only. The hosted Descope flow needs
      Descope&apos;s servers and is shown when <code>DESCOPE_BASE_URL</code> points at Descope.
    </p>
  ) : (
    <p className="mb-4 text-xs text-slate-500" data-testid="login-mode">
      Secured by Descope
    </p>
  );
}
