import { getConfig } from '@/lib/config';
import { getKeyStore } from '@/lib/auth/runtime';
import { descopeBreaker } from '@/lib/descope/client';
import packageJson from '@/package.json';

export interface Health {
  status: 'ok' | 'unhealthy';
  version: string;
  mlflow: { reachable: boolean; latencyMs: number | null; status: number | null; error?: string };
  descope: { reachable: boolean; jwksKeys: number; jwksFetchedAt: string | null; jwksAgeSeconds: number | null; circuit: string; error?: string };
}

const elapsed = (start: number) => Math.round((performance.now() - start) * 10) / 10;

async function probeMlflow(): Promise<Health['mlflow']> {
  const { upstreamUrl } = getConfig();
  const start = performance.now();
  try {
    const response = await fetch(new URL('health', `${upstreamUrl.href.replace(/\/$/, '')}/`), { signal: AbortSignal.timeout(2_000), cache: 'no-store' });
    return { reachable: response.ok, latencyMs: elapsed(start), status: response.status };
  } catch (error) {
    return { reachable: false, latencyMs: null, status: null, error: error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'unreachable' };
  }
}

async function probeDescope(active: boolean): Promise<Health['descope']> {
  const keys = getKeyStore();
  let error: string | undefined;
  if (active) {
    try {
      await keys.refresh();
    } catch (failure) {
      error = failure instanceof Error ? failure.message : 'unreachable';
    }
  } else if (descopeBreaker.state === 'open') {
    error = 'circuit open after repeated Descope failures';
  }
  const { keys: count, fetchedAt } = keys.status();
  return {
    reachable: error === undefined,
    jwksKeys: count,
    jwksFetchedAt: fetchedAt ? new Date(fetchedAt).toISOString() : null,
    jwksAgeSeconds: fetchedAt ? Math.round((Date.now() - fetchedAt) / 1000) : null,
    circuit: descopeBreaker.state,
    ...(error ? { error } : {}),
  };
}

/**
 * Readiness: MLflow answers /health and Descope serves the project's JWKS. `probeDescope: false`
 * (the home page) reports what this process already knows instead of calling Descope per render.
 */
export async function checkHealth({ probeDescope: active = true } = {}): Promise<Health> {
  const [mlflow, descope] = await Promise.all([probeMlflow(), probeDescope(active)]);
  return { status: mlflow.reachable && descope.reachable ? 'ok' : 'unhealthy', version: packageJson.version, mlflow, descope };
}
