import { collectDefaultMetrics, Registry } from 'prom-client';
import packageJson from '@/package.json';
import { counterFamily, gaugeFamily, histogramFamily, type CounterCell, type GaugeCell } from '@/lib/observability/metric-cells';
import type { CacheMeter } from '@/lib/observability/meter';

// Every label value the portal emits is one of these words: no user id, path, token or endpoint
// text ever becomes a label, so the number of series is fixed at start (see the README, "Metrics").
export const ROUTE_CLASSES = ['mlflow-api', 'mlflow-ui', 'artifact', 'auth', 'page', 'next-static'] as const;
export type RouteClass = (typeof ROUTE_CLASSES)[number];
export const MLFLOW_ROUTE_CLASSES = ['mlflow-api', 'mlflow-ui', 'artifact'] as const satisfies readonly RouteClass[];
export type MlflowRouteClass = (typeof MLFLOW_ROUTE_CLASSES)[number];
const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export const DESCOPE_OPERATIONS = [
  'jwks',
  'refresh',
  'logout',
  'me',
  'access-key-exchange',
  'management-user',
  'management-role',
  'management-access-key',
  'management-tenant',
  'management-other',
  'other',
] as const;
export type DescopeOperation = (typeof DESCOPE_OPERATIONS)[number];
/** `rejected`: Descope answered 4xx (its verdict); `error`: 5xx or no answer, after retries; `circuit-open`: not tried. */
export const DESCOPE_OUTCOMES = ['ok', 'rejected', 'error', 'timeout', 'circuit-open'] as const;
export type DescopeOutcome = (typeof DESCOPE_OUTCOMES)[number];
export const CACHES = ['session-token', 'refresh-token', 'jwks', 'access-key', 'session-refresh'] as const;
export type CacheName = (typeof CACHES)[number];
const DECISIONS = {
  allow: ['valid', 'refreshed'],
  redirect: ['unauthenticated'],
  deny: ['unauthenticated', 'permission', 'cross-site', 'descope-unavailable'],
} as const;
export type DecisionOutcome = keyof typeof DECISIONS;
export type DecisionReason<O extends DecisionOutcome = DecisionOutcome> = (typeof DECISIONS)[O][number];
const BREAKER_STATES = ['closed', 'open', 'half-open'] as const;
type BreakerState = (typeof BREAKER_STATES)[number];

const REQUEST_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const DESCOPE_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface DescopeMeter {
  record(operation: DescopeOperation, outcome: DescopeOutcome, seconds: number): void;
}

/**
 * The portal's metrics, one set per runtime, in the runtime's own Registry (never prom-client's
 * global one, so two runtimes in a process, as in tests, do not share counts). Everything the hot
 * path touches is bound at start: recording a request is a few additions on pre-built cells.
 */
export interface PortalMetrics {
  readonly registry: Registry;
  /** A finished request; `status` 499 means the client went away first. */
  request(routeClass: RouteClass, status: number, seconds: number): void;
  /** Time from sending a call to MLflow until its response headers arrived. */
  upstream(routeClass: MlflowRouteClass, seconds: number): void;
  /** Bytes of one /mlflow/* exchange: up is client → MLflow, down is MLflow → client. */
  bytes(routeClass: MlflowRouteClass, up: number, down: number): void;
  readonly inFlight: { gateway: GaugeCell; next: GaugeCell };
  decision(outcome: DecisionOutcome, reason: DecisionReason): void;
  readonly caches: Record<CacheName, CacheMeter>;
  readonly descope: DescopeMeter;
  /** The breaker whose state `portal_descope_circuit_state` reports, read at each scrape. */
  watchBreaker(breaker: { readonly state: BreakerState }): void;
  /** prom-client's process and Node.js metrics; once per registry, when metrics are exposed. */
  collectProcessMetrics(): void;
}

export function createPortalMetrics(): PortalMetrics {
  const registry = new Registry();
  const family = <L extends string>(name: string, help: string, labelNames: readonly L[]) => ({ registry, name, help, labelNames });
  const byWord = <W extends string, V>(words: readonly W[], make: (word: W) => V) =>
    Object.fromEntries(words.map((word) => [word, make(word)])) as Record<W, V>;

  const requestCell = counterFamily(
    family('portal_http_requests_total', 'Requests answered, by route class and status class (499, the client went away, counts as 4xx).', [
      'route_class',
      'status_class',
    ]),
  );
  const requestCells = byWord(ROUTE_CLASSES, (route_class) => STATUS_CLASSES.map((status_class) => requestCell({ route_class, status_class })));
  const durationCell = histogramFamily(
    family('portal_http_request_duration_seconds', "Time from a request's arrival until its response ended (streamed bodies included).", ['route_class']),
    REQUEST_SECONDS,
  );
  const durations = byWord(ROUTE_CLASSES, (route_class) => durationCell({ route_class }));
  const upstreamCell = histogramFamily(
    family('portal_upstream_response_seconds', 'Time from sending a call to MLflow until its response headers arrived.', ['route_class']),
    REQUEST_SECONDS,
  );
  const upstreams = byWord(MLFLOW_ROUTE_CLASSES, (route_class) => upstreamCell({ route_class }));
  const bytesCell = counterFamily(
    family('portal_gateway_bytes_total', 'Bytes of /mlflow/* exchanges: up is client to MLflow, down is MLflow to client.', ['route_class', 'direction']),
  );
  const bytes = byWord(MLFLOW_ROUTE_CLASSES, (route_class) => ({
    up: bytesCell({ route_class, direction: 'up' }),
    down: bytesCell({ route_class, direction: 'down' }),
  }));
  const inFlightCell = gaugeFamily(
    family('portal_http_requests_in_flight', 'Requests being served: gateway is /mlflow/* (either transport), next is what the custom server hands to Next.', [
      'handler',
    ]),
  );
  const decisionCell = counterFamily(
    family('portal_auth_decisions_total', 'Auth decisions by outcome and reason, one per decide() call (a page passes two gates: proxy.ts and the page).', [
      'outcome',
      'reason',
    ]),
  );
  const decisions = Object.fromEntries(
    Object.entries(DECISIONS).map(([outcome, reasons]) => [outcome, byWord(reasons as readonly string[], (reason) => decisionCell({ outcome, reason }))]),
  ) as Record<DecisionOutcome, Record<string, CounterCell>>;
  const cacheCell = counterFamily(
    family('portal_cache_lookups_total', 'Cache lookups by cache and result: verified tokens, the JWKS, access-key exchanges, the refresh memo.', [
      'cache',
      'result',
    ]),
  );
  const descopeCell = counterFamily(
    family('portal_descope_requests_total', 'Calls to Descope by operation and outcome (one per call, retries included).', ['operation', 'outcome']),
  );
  const descopeCells = byWord(DESCOPE_OPERATIONS, (operation) => byWord(DESCOPE_OUTCOMES, (outcome) => descopeCell({ operation, outcome })));
  const descopeDurationCell = histogramFamily(
    family('portal_descope_request_duration_seconds', 'Duration of calls to Descope, retries and backoff included.', ['operation']),
    DESCOPE_SECONDS,
  );
  const descopeDurations = byWord(DESCOPE_OPERATIONS, (operation) => descopeDurationCell({ operation }));
  let breaker: { readonly state: BreakerState } | undefined;
  gaugeFamily(family('portal_descope_circuit_state', 'The Descope circuit breaker: 1 for its current state, 0 for the others.', ['state']), (set) => {
    if (!breaker) return;
    const current = breaker.state;
    for (const state of BREAKER_STATES) set({ state }, state === current ? 1 : 0);
  });
  gaugeFamily(family('portal_build_info', "The portal's version; always 1.", ['version']), (set) => set({ version: packageJson.version }, 1));
  let processMetrics = false;

  return {
    registry,
    request(routeClass, status, seconds) {
      const statusClass = status >= 500 ? 4 : status >= 400 ? 3 : status >= 300 ? 2 : status >= 200 ? 1 : 0;
      requestCells[routeClass][statusClass].inc();
      durations[routeClass].observe(seconds);
    },
    upstream: (routeClass, seconds) => upstreams[routeClass].observe(seconds),
    bytes(routeClass, up, down) {
      bytes[routeClass].up.inc(up);
      bytes[routeClass].down.inc(down);
    },
    inFlight: { gateway: inFlightCell({ handler: 'gateway' }), next: inFlightCell({ handler: 'next' }) },
    decision: (outcome, reason) => decisions[outcome][reason].inc(),
    caches: byWord(CACHES, (cache) => ({ hit: cacheCell({ cache, result: 'hit' }), miss: cacheCell({ cache, result: 'miss' }) })),
    descope: {
      record(operation, outcome, seconds) {
        descopeCells[operation][outcome].inc();
        descopeDurations[operation].observe(seconds);
      },
    },
    watchBreaker(watched) {
      breaker = watched;
    },
    collectProcessMetrics() {
      if (processMetrics) return;
      processMetrics = true;
      collectDefaultMetrics({ register: registry });
    },
  };
}

/** Seconds since `startedMs`, a performance.now() reading. */
export const secondsSince = (startedMs: number) => (performance.now() - startedMs) / 1000;
