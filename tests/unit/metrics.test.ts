import { register } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createPortalMetrics, ROUTE_CLASSES } from '@/lib/observability/metrics';
import { recordDecision } from '@/lib/observability/decision-metrics';
import { mlflowRouteClass } from '@/lib/gateway/exchange';
import { descopeOperation } from '@/lib/descope/resilient-fetch';
import { CircuitBreaker } from '@/lib/resilience/circuit-breaker';
import type { Identity } from '@/lib/auth/identity';
import { parseScrape } from '@/tests/support/metrics-scrape';
import packageJson from '@/package.json';

const text = async (metrics: ReturnType<typeof createPortalMetrics>) => parseScrape(await metrics.registry.metrics());

describe('the portal metrics', () => {
  it('count requests by route class and status class, with their durations in seconds', async () => {
    const metrics = createPortalMetrics();
    metrics.request('mlflow-api', 200, 0.004);
    metrics.request('mlflow-api', 204, 0.2);
    metrics.request('mlflow-api', 499, 7);
    metrics.request('auth', 503, 0.001);
    const scraped = await text(metrics);
    expect(scraped.value('portal_http_requests_total', { route_class: 'mlflow-api', status_class: '2xx' })).toBe(2);
    expect(scraped.value('portal_http_requests_total', { route_class: 'mlflow-api', status_class: '4xx' })).toBe(1);
    expect(scraped.value('portal_http_requests_total', { route_class: 'auth', status_class: '5xx' })).toBe(1);
    // Every bounded series exists from the start, at 0: rate() works from the first scrape.
    expect(scraped.named('portal_http_requests_total')).toHaveLength(ROUTE_CLASSES.length * 5);
    const bucket = (le: string) => scraped.value('portal_http_request_duration_seconds_bucket', { route_class: 'mlflow-api', le });
    expect([bucket('0.001'), bucket('0.005'), bucket('0.25'), bucket('5'), bucket('10'), bucket('+Inf')]).toEqual([0, 1, 2, 2, 3, 3]);
    expect(scraped.value('portal_http_request_duration_seconds_count', { route_class: 'mlflow-api' })).toBe(3);
    expect(scraped.value('portal_http_request_duration_seconds_sum', { route_class: 'mlflow-api' })).toBeCloseTo(7.204);
    expect(scraped.text).toContain('# TYPE portal_http_request_duration_seconds histogram');
    expect(scraped.text).toContain('# TYPE portal_http_requests_total counter');
  });

  it('live in their own registry: two runtimes never share counts, and the global registry stays empty', async () => {
    const one = createPortalMetrics();
    const other = createPortalMetrics();
    one.bytes('artifact', 10, 20);
    one.inFlight.gateway.inc();
    expect((await text(one)).value('portal_gateway_bytes_total', { route_class: 'artifact', direction: 'down' })).toBe(20);
    expect((await text(one)).value('portal_http_requests_in_flight', { handler: 'gateway' })).toBe(1);
    expect((await text(other)).value('portal_gateway_bytes_total', { route_class: 'artifact', direction: 'down' })).toBe(0);
    expect(await register.metrics()).not.toContain('portal_');
  });

  it('report the breaker it watches at each scrape, one state at a time', async () => {
    let now = 0;
    const breaker = new CircuitBreaker(1, 1_000, () => now);
    const metrics = createPortalMetrics();
    metrics.watchBreaker(breaker);
    const state = async () =>
      Object.fromEntries((await text(metrics)).named('portal_descope_circuit_state').map(([id, value]) => [/state="([^"]+)"/.exec(id)?.[1], value]));
    expect(await state()).toEqual({ closed: 1, open: 0, 'half-open': 0 });
    breaker.recordFailure();
    expect(await state()).toEqual({ closed: 0, open: 1, 'half-open': 0 });
    now = 1_000;
    expect(await state()).toEqual({ closed: 0, open: 0, 'half-open': 1 });
  });

  it('count decisions under bounded reasons', async () => {
    const metrics = createPortalMetrics();
    const identity = { userId: 'U1' } as Identity;
    recordDecision(metrics, { type: 'allow', identity, refreshed: undefined, setCookies: [] });
    recordDecision(metrics, {
      type: 'allow',
      identity,
      refreshed: { sessionJwt: 's', refreshJwt: 'r', claims: {} as never, refreshExpiresAt: 0 },
      setCookies: [],
    });
    recordDecision(metrics, { type: 'redirect', location: '/auth/login', setCookies: [] });
    recordDecision(metrics, { type: 'deny', code: 'unauthenticated', message: '', setCookies: [] });
    recordDecision(metrics, { type: 'deny', code: 'descope_unavailable', message: '', setCookies: [] });
    recordDecision(metrics, { type: 'deny', code: 'forbidden', message: '', setCookies: [], identity });
    recordDecision(metrics, { type: 'deny', code: 'forbidden', message: '', setCookies: [] });
    const scraped = await text(metrics);
    expect(Object.fromEntries(scraped.named('portal_auth_decisions_total'))).toEqual({
      'portal_auth_decisions_total{outcome="allow",reason="valid"}': 1,
      'portal_auth_decisions_total{outcome="allow",reason="refreshed"}': 1,
      'portal_auth_decisions_total{outcome="redirect",reason="unauthenticated"}': 1,
      'portal_auth_decisions_total{outcome="deny",reason="unauthenticated"}': 1,
      'portal_auth_decisions_total{outcome="deny",reason="permission"}': 1,
      'portal_auth_decisions_total{outcome="deny",reason="cross-site"}': 1,
      'portal_auth_decisions_total{outcome="deny",reason="descope-unavailable"}': 1,
    });
  });

  it('add process metrics only when asked (the metrics listener does), once', async () => {
    const metrics = createPortalMetrics();
    expect((await text(metrics)).text).not.toContain('process_cpu_seconds_total');
    metrics.collectProcessMetrics();
    metrics.collectProcessMetrics();
    const scraped = await text(metrics);
    expect(scraped.value('portal_build_info', { version: packageJson.version })).toBe(1);
    expect(scraped.named('process_cpu_seconds_total')).toHaveLength(1);
    expect(scraped.text).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('label words', () => {
  it('an MLflow call is classed by its endpoint, an unmapped one by its path', () => {
    expect(mlflowRouteClass({ endpoint: 'runs/search', path: '/mlflow/api/2.0/mlflow/runs/search' })).toBe('mlflow-api');
    expect(mlflowRouteClass({ endpoint: 'mlflow-artifacts/upload', path: '/mlflow/api/2.0/mlflow-artifacts/artifacts/0/a/b.bin' })).toBe('artifact');
    expect(mlflowRouteClass({ endpoint: 'get-artifact', path: '/mlflow/get-artifact' })).toBe('artifact');
    expect(mlflowRouteClass({ endpoint: 'model-versions/get-artifact', path: '/mlflow/model-versions/get-artifact' })).toBe('artifact');
    expect(mlflowRouteClass({ endpoint: 'ui/static-files', path: '/mlflow/static-files/main.js' })).toBe('mlflow-ui');
    expect(mlflowRouteClass({ endpoint: 'ui/index', path: '/mlflow/' })).toBe('mlflow-ui');
    expect(mlflowRouteClass({ endpoint: null, path: '/mlflow/ajax-api/2.0/mlflow/made-up' })).toBe('mlflow-api');
    expect(mlflowRouteClass({ endpoint: null, path: '/mlflow/made-up' })).toBe('mlflow-ui');
  });

  it('a Descope call is named by the kind of endpoint, never by its path', () => {
    expect(descopeOperation('/v2/keys/P2abc')).toBe('jwks');
    expect(descopeOperation('/v1/auth/refresh')).toBe('refresh');
    expect(descopeOperation('/v1/auth/accesskey/exchange')).toBe('access-key-exchange');
    expect(descopeOperation('/v1/mgmt/accesskey')).toBe('management-access-key');
    expect(descopeOperation('/v2/mgmt/user/search')).toBe('management-user');
    expect(descopeOperation('/v1/mgmt/role/all')).toBe('management-role');
    expect(descopeOperation('/v1/mgmt/tenant/all')).toBe('management-tenant');
    expect(descopeOperation('/v1/mgmt/license')).toBe('management-other');
    expect(descopeOperation('/v1/auth/otp/signin/email')).toBe('other');
  });
});
