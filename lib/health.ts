import type { Config } from '@/lib/config';
import type { KeyStore } from '@/lib/auth/jwks';
import type { CircuitBreaker } from '@/lib/resilience/circuit-breaker';
import type { PluginStatus } from '@/lib/mlflow/plugin-probe';
import packageJson from '@/package.json';

export interface Health {
  status: 'ok' | 'unhealthy';
  version: string;
  mlflow: { reachable: boolean; latencyMs: number | null; status: number | null; error?: string };
  descope: { reachable: boolean; jwksKeys: number; jwksFetchedAt: string | null; jwksAgeSeconds: number | null; circuit: string; error?: string };
  /** PORTAL_AUTHZ, and with `mlflow` whether MLflow runs the plugin and accepts the assertion. */
  authz: { mode: 'roles' } | { mode: 'mlflow'; plugin: PluginStatus };
}

export interface HealthDeps {
  config: Pick<Config, 'upstreamUrl'>;
  keys: KeyStore;
  /** The breaker every Descope call of this process goes through: the same one the gateway uses. */
  breaker: CircuitBreaker;
  /** With PORTAL_AUTHZ=mlflow: checks MLflow's side of it. */
  probePlugin?: () => Promise<PluginStatus>;
}

const elapsed = (start: number) => Math.round((performance.now() - start) * 10) / 10;

async function probeMlflow({ config }: HealthDeps): Promise<Health['mlflow']> {
  const start = performance.now();
  try {
    const response = await fetch(new URL('health', `${config.upstreamUrl.href.replace(/\/$/, '')}/`), { signal: AbortSignal.timeout(2_000), cache: 'no-store' });
    return { reachable: response.ok, latencyMs: elapsed(start), status: response.status };
  } catch (error) {
    return { reachable: false, latencyMs: null, status: null, error: error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'unreachable' };
  }
}

async function probeDescope({ keys, breaker }: HealthDeps, active: boolean): Promise<Health['descope']> {
  let error: string | undefined;
  if (active) {
    try {
      await keys.refresh();
    } catch (failure) {
      error = failure instanceof Error ? failure.message : 'unreachable';
    }
  } else if (breaker.state === 'open') {
    error = 'circuit open after repeated Descope failures';
  }
  const { keys: count, fetchedAt } = keys.status();
  return {
    reachable: error === undefined,
    jwksKeys: count,
    jwksFetchedAt: fetchedAt ? new Date(fetchedAt).toISOString() : null,
    jwksAgeSeconds: fetchedAt ? Math.round((Date.now() - fetchedAt) / 1000) : null,
    circuit: breaker.state,
    ...(error ? { error } : {}),
  };
}

/**
 * Readiness: MLflow answers /health and Descope serves the project's JWKS. `probeDescope: false`
 * (the home page) reports what this process already knows instead of calling Descope per render.
 */
export async function checkHealth(deps: HealthDeps, { probeDescope: active = true } = {}): Promise<Health> {
  const [mlflow, descope, plugin] = await Promise.all([probeMlflow(deps), probeDescope(deps, active), deps.probePlugin?.()]);
  const authz: Health['authz'] = plugin ? { mode: 'mlflow', plugin } : { mode: 'roles' };
  const healthy = mlflow.reachable && descope.reachable && (plugin?.ok ?? true);
  return { status: healthy ? 'ok' : 'unhealthy', version: packageJson.version, mlflow, descope, authz };
}
