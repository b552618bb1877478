import type { Identity } from '@/lib/auth/identity';
import type { Permission } from '@/lib/auth/permission';
import type { Logger } from '@/lib/observability/log';
import type { AuditSink } from '@/lib/observability/audit';
import type { MlflowRouteClass, PortalMetrics } from '@/lib/observability/metrics';

/** One /mlflow/* call as the request log and the audit trail see it; filled in as it proceeds. */
export interface Exchange {
  requestId: string;
  method: string;
  /** The normalised portal path; never the query string, which may carry secrets. */
  path: string;
  endpoint: string | null;
  permission: Permission;
  started: number;
  identity?: Identity;
  /** Why the portal answered itself instead of forwarding (refusals, redirects, bad requests). */
  refusal?: string;
  /** When the upstream call started and how long its response headers took. */
  upstreamStarted?: number;
  upstreamMs?: number;
}

export interface ExchangeEnd {
  /** The status sent, or 499 when the client went away first. */
  status: number;
  bytesIn: number;
  bytesOut: number;
}

export interface ExchangeSinks {
  log: Logger;
  audit: AuditSink;
  metrics: Pick<PortalMetrics, 'request' | 'upstream' | 'bytes' | 'inFlight'>;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A call that changes MLflow: a write method on an endpoint that needs EDIT or MANAGE. */
export function isMutation(exchange: Pick<Exchange, 'method' | 'permission'>): boolean {
  return !READ_METHODS.has(exchange.method) && (exchange.permission === 'EDIT' || exchange.permission === 'MANAGE');
}

// Endpoints whose bodies are files; the rest of MLflow's API is small JSON.
const ARTIFACT_ENDPOINTS = new Set(['get-artifact', 'model-versions/get-artifact', 'logged-models/get-artifact', 'traces/get-artifact', 'artifacts/upload-ui']);
const API_PREFIXES = ['/mlflow/api/', '/mlflow/ajax-api/'];

/** The metrics' route class of a call: its endpoint's kind, or for an unmapped one, its path's. */
export function mlflowRouteClass({ endpoint, path }: Pick<Exchange, 'endpoint' | 'path'>): MlflowRouteClass {
  if (endpoint === null) return API_PREFIXES.some((prefix) => path.startsWith(prefix)) ? 'mlflow-api' : 'mlflow-ui';
  if (endpoint.startsWith('mlflow-artifacts/') || ARTIFACT_ENDPOINTS.has(endpoint)) return 'artifact';
  return endpoint.startsWith('ui/') ? 'mlflow-ui' : 'mlflow-api';
}

/**
 * One log line per call when its response ends, its metrics, and an audit entry for every
 * mutating call, allowed or refused (who, what, result, and the reason of a refusal). Both
 * transports call this once per exchange with the same Exchange, so their lines and counts are
 * the same for the same call.
 */
export function recordExchange(exchange: Exchange, end: ExchangeEnd, sinks: ExchangeSinks): void {
  const user = exchange.identity?.userId ?? null;
  const elapsedMs = performance.now() - exchange.started;
  const routeClass = mlflowRouteClass(exchange);
  sinks.metrics.request(routeClass, end.status, elapsedMs / 1000);
  if (exchange.upstreamMs !== undefined) sinks.metrics.upstream(routeClass, exchange.upstreamMs / 1000);
  sinks.metrics.bytes(routeClass, end.bytesIn, end.bytesOut);
  if (exchange.endpoint === null) sinks.log('warn', 'mlflow.unmapped_endpoint', { method: exchange.method, path: exchange.path });
  sinks.log('info', 'request', {
    requestId: exchange.requestId,
    user,
    method: exchange.method,
    path: exchange.path,
    endpoint: exchange.endpoint ?? 'unmapped',
    status: end.status,
    latencyMs: round(elapsedMs),
    upstreamMs: exchange.upstreamMs === undefined ? null : round(exchange.upstreamMs),
    bytesIn: end.bytesIn,
    bytesOut: end.bytesOut,
  });
  if (!isMutation(exchange)) return;
  sinks.audit.record({
    actorId: exchange.identity?.userId ?? '',
    actor: exchange.identity ? exchange.identity.email || exchange.identity.username : 'unauthenticated',
    action: `mlflow.${exchange.endpoint ?? 'unmapped'}`,
    target: exchange.path,
    result: end.status < 400 ? 'success' : end.status === 401 || end.status === 403 ? 'denied' : 'failure',
    status: end.status,
    ...(exchange.refusal ? { detail: exchange.refusal } : {}),
  });
}

const round = (ms: number) => Math.round(ms * 10) / 10;
