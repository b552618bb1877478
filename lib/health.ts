import type { Config } from '@/lib/config';
import type { KeyStore } from '@/lib/auth/jwks';
import type { CircuitBreaker } from '@/lib/resilience/circuit-breaker';
import type { PluginStatus } from '@/lib/mlflow/plugin-probe';
import { UPSTREAM_ID_ARTIFACT, UPSTREAM_ID_PATH } from '@/lib/mlflow/upstream-id';
import packageJson from '@/package.json';

export { UPSTREAM_ID_ARTIFACT };

export interface MlflowHealth {
  /** MLflow's /health answered 2xx. */
  reachable: boolean;
  latencyMs: number | null;
  status: number | null;
  /** What GET /version answered; null when it did not answer like MLflow. */
  version: string | null;
  /** `verified`: its .portal-upstream-id says MLFLOW_UPSTREAM_ID; `unchecked`: no id configured. */
  identity: 'verified' | 'mismatch' | 'unchecked';
  error?: string;
}

export interface Health {
  status: 'ok' | 'unhealthy';
  version: string;
  mlflow: MlflowHealth;
  descope: { reachable: boolean; jwksKeys: number; jwksFetchedAt: string | null; jwksAgeSeconds: number | null; circuit: string; error?: string };
  /** PORTAL_AUTHZ, and with `mlflow` whether MLflow runs the plugin and accepts the assertion. */
  authz: { mode: 'roles' } | { mode: 'mlflow'; plugin: PluginStatus };
}

export interface HealthDeps {
  config: Pick<Config, 'upstreamUrl' | 'upstreamId'>;
  keys: KeyStore;
  /** The breaker every Descope call of this process goes through: the same one the gateway uses. */
  breaker: CircuitBreaker;
  /** With PORTAL_AUTHZ=mlflow: checks MLflow's side of it. */
  probePlugin?: () => Promise<PluginStatus>;
  /** Headers MLflow needs on the probes beyond /health (the assertion, with the plugin). */
  upstreamHeaders?: () => Promise<Record<string, string>>;
}

const elapsed = (start: number) => Math.round((performance.now() - start) * 10) / 10;
const VERSION = /^\d+\.\d+[\w.+-]*$/;

type Probe = { ok: true; status: number; text: string } | { ok: false; error: string };

async function probe(base: URL, path: string, { timeoutMs, headers = {} }: { timeoutMs: number; headers?: Record<string, string> }): Promise<Probe> {
  try {
    const response = await fetch(new URL(path, `${base.href.replace(/\/$/, '')}/`), { headers, signal: AbortSignal.timeout(timeoutMs), cache: 'no-store' });
    // Bounded: a wrong server may answer anything, of any size.
    const text = (await response.text()).slice(0, 200).trim();
    return { ok: true, status: response.status, text };
  } catch (error) {
    return { ok: false, error: error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'unreachable' };
  }
}

/** What was last proven about the upstream, so a busy MLflow's slow /version does not fail every probe. */
export interface UpstreamMemo {
  proven?: { version: string; identity: 'verified' | 'unchecked'; at: number };
}

// /version is served by MLflow's Flask workers (slower under load than its /health): it gets
// longer, and a proof is reused for a minute, so the probe's cost is /health alone most of the time.
const VERSION_TIMEOUT_MS = 5_000;
const PROOF_REUSE_MS = 60_000;

/**
 * Another server can answer /health on MLflow's port (5000 is MLflow's default, so often another
 * MLflow), so /health alone proves little: the upstream must also answer /version like MLflow,
 * and with MLFLOW_UPSTREAM_ID set, serve that id as `.portal-upstream-id` from its artifact root,
 * which only the MLflow owning that artifact store can.
 */
async function probeMlflow({ config, upstreamHeaders }: HealthDeps, memo: UpstreamMemo): Promise<MlflowHealth> {
  const start = performance.now();
  const reuse = memo.proven && Date.now() - memo.proven.at < PROOF_REUSE_MS ? memo.proven : undefined;
  const headers = reuse || !upstreamHeaders ? {} : await upstreamHeaders();
  const [health, version, id] = await Promise.all([
    probe(config.upstreamUrl, 'health', { timeoutMs: 2_000 }),
    reuse ? undefined : probe(config.upstreamUrl, 'version', { timeoutMs: VERSION_TIMEOUT_MS, headers }),
    reuse || !config.upstreamId ? undefined : probe(config.upstreamUrl, UPSTREAM_ID_PATH, { timeoutMs: VERSION_TIMEOUT_MS, headers }),
  ]);
  if (!health.ok) {
    memo.proven = undefined;
    return { reachable: false, latencyMs: null, status: null, version: null, identity: 'unchecked', error: health.error };
  }
  const reachable = health.status >= 200 && health.status < 300;
  const result: MlflowHealth = {
    reachable,
    latencyMs: elapsed(start),
    status: health.status,
    version: reuse?.version ?? null,
    identity: reuse?.identity ?? 'unchecked',
  };
  if (!reachable) return { ...result, error: `/health answered ${health.status}` };
  if (reuse) return result;
  if (!version?.ok) return { ...result, error: `/version ${version?.error ?? 'unreachable'}` };
  if (version.status !== 200 || !VERSION.test(version.text))
    return { ...result, error: 'answers /health but not /version like MLflow: MLFLOW_UPSTREAM_URL names another server' };
  result.version = version.text;
  if (id) {
    result.identity = id.ok && id.status === 200 && id.text === config.upstreamId ? 'verified' : 'mismatch';
    if (result.identity === 'mismatch') return { ...result, error: `another MLflow: its ${UPSTREAM_ID_ARTIFACT} does not say MLFLOW_UPSTREAM_ID` };
  }
  memo.proven = { version: result.version, identity: result.identity === 'verified' ? 'verified' : 'unchecked', at: Date.now() };
  return result;
}

/** MLflow is usable: the one the portal was configured with answered as MLflow. */
export const mlflowHealthy = (mlflow: MlflowHealth) => mlflow.reachable && mlflow.version !== null && mlflow.identity !== 'mismatch';

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
 * Readiness: the configured MLflow answers (see probeMlflow) and Descope serves the project's
 * JWKS. `probeDescope: false` (the home page) reports what this process already knows instead of
 * calling Descope per render. `memo` carries the last proof of MLflow's identity between calls
 * (the runtime keeps one per process; without it every call proves it again).
 */
export async function checkHealth(deps: HealthDeps, { probeDescope: active = true } = {}, memo: UpstreamMemo = {}): Promise<Health> {
  const [mlflow, descope, plugin] = await Promise.all([probeMlflow(deps, memo), probeDescope(deps, active), deps.probePlugin?.()]);
  const authz: Health['authz'] = plugin ? { mode: 'mlflow', plugin } : { mode: 'roles' };
  const healthy = mlflowHealthy(mlflow) && descope.reachable && (plugin?.ok ?? true);
  return { status: healthy ? 'ok' : 'unhealthy', version: packageJson.version, mlflow, descope, authz };
}
