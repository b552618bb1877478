import { randomBytes } from 'node:crypto';
import DescopeClient from '@descope/node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/tools/local-stack/wait';
import { MANAGEMENT_KEY, PROJECT_ID, startPortalHarness, TRANSPORT, type PortalHarness } from '@/tests/support/portal-harness';
import { delta, scrapeSettled, type Scrape } from '@/tests/support/metrics-scrape';

/**
 * The metrics listener, scraped around known traffic through the portal in front of the suite's
 * real MLflow. Under PORTAL_TEST_TRANSPORT=next-start the same calls go through `next start`
 * (the route-handler transport, the listener started by instrumentation.ts), and every check is
 * made over HTTP, so it holds for both servers.
 */
let portal: PortalHarness;
let metricsUrl: string;
let editor: { sessionJwt: string; refreshJwt: string };
let reader: string;
let accessKey: string;

beforeAll(async () => {
  portal = await startPortalHarness({ PORTAL_METRICS_PORT: String(await freePort()) });
  metricsUrl = portal.metricsUrl!;
  editor = await portal.session('editor@example.com');
  reader = (await portal.session('reader@example.com')).sessionJwt;
  // Made straight at the emulator, so the portal's own Descope counts see none of it.
  const management = DescopeClient({ projectId: PROJECT_ID, baseUrl: portal.emulator.url, managementKey: MANAGEMENT_KEY }).management;
  const { data: user } = await management.user.load('editor@example.com');
  accessKey = (await management.accessKey.create(`metrics-${Date.now()}`, 0, [], undefined, user!.userId)).data!.cleartext;
});
afterAll(() => portal?.close());

const api = (path: string, init: { method?: string; token?: string; cookie?: string; accept?: string; body?: BodyInit } = {}) => {
  const headers: Record<string, string> = { accept: init.accept ?? 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.cookie) headers.cookie = init.cookie;
  if (init.method === 'POST') headers['content-type'] = 'application/json';
  return fetch(`${portal.url}${path}`, { method: init.method ?? 'GET', headers, body: init.body, redirect: 'manual' });
};
const search = (token?: string) => api('/mlflow/api/2.0/mlflow/experiments/search', { method: 'POST', token, body: '{"max_results":1}' });
// Under a real Next, /auth/user passes proxy.ts (gate 1) before its handler decides again (gate 2);
// the harness's custom server hands /auth/* straight to the route handlers.
const proxyGates = TRANSPORT === 'next-start' ? 1 : 0;
const statusOf = async (pending: Promise<Response>) => {
  const response = await pending;
  await response.arrayBuffer();
  return response.status;
};

describe('a scrape after a known sequence of calls', () => {
  let before: Scrape;
  let after: Scrape;
  const payload = randomBytes(256 * 1024);
  const artifact = `/mlflow/api/2.0/mlflow-artifacts/artifacts/0/metrics-${Date.now()}/payload.bin`;

  beforeAll(async () => {
    // The JWKS is loaded first, so the sequence's key lookups are all hits whatever came before.
    expect(await statusOf(api('/auth/health'))).toBe(200);
    before = await scrapeSettled(metricsUrl);
    const statuses = [
      await statusOf(search(editor.sessionJwt)), // a session token seen for the first time
      await statusOf(search(editor.sessionJwt)), // the same token, from the verified-token cache
      await statusOf(search()), // no credentials: 401 for an API client
      await statusOf(api('/mlflow/', { accept: 'text/html' })), // no credentials, a browser: to the login page
      await statusOf(api('/mlflow/api/2.0/mlflow/experiments/delete', { method: 'POST', token: reader, body: '{"experiment_id":"0"}' })), // READ is not MANAGE
      await statusOf(api(artifact, { method: 'PUT', token: editor.sessionJwt, body: payload })),
      await statusOf(api(artifact, { token: editor.sessionJwt, accept: '*/*' })),
      await statusOf(api('/auth/user', { token: editor.sessionJwt })),
      await statusOf(api('/auth/health')),
      await statusOf(search(accessKey)), // exchanged with Descope, its owner looked up
      await statusOf(search(accessKey)), // the cached exchange
      await statusOf(api('/mlflow/api/2.0/mlflow/experiments/get?experiment_id=0', { cookie: `DSR=${editor.refreshJwt}` })), // refreshed at Descope
      await statusOf(api('/mlflow/api/2.0/mlflow/experiments/get?experiment_id=0', { cookie: `DSR=${editor.refreshJwt}` })), // the refresh memo
    ];
    expect(statuses).toEqual([200, 200, 401, 302, 403, 200, 200, 200, 200, 200, 200, 200, 200]);
    after = await scrapeSettled(metricsUrl);
  });

  it('counts requests by route class and status class, and nothing else', () => {
    const changed = delta(before, after);
    const requests = Object.fromEntries(
      after
        .named('portal_http_requests_total')
        .map(([id]) => [id, changed(...split(id))])
        .filter(([, n]) => n !== 0),
    );
    expect(requests).toEqual({
      'portal_http_requests_total{route_class="mlflow-api",status_class="2xx"}': 6,
      'portal_http_requests_total{route_class="mlflow-api",status_class="4xx"}': 2,
      'portal_http_requests_total{route_class="mlflow-ui",status_class="3xx"}': 1,
      'portal_http_requests_total{route_class="artifact",status_class="2xx"}': 2,
      'portal_http_requests_total{route_class="auth",status_class="2xx"}': 2,
    });
    expect(changed('portal_http_request_duration_seconds_count', { route_class: 'mlflow-api' })).toBe(8);
    expect(changed('portal_http_request_duration_seconds_count', { route_class: 'auth' })).toBe(2);
    // Only forwarded calls wait for MLflow: the refusals and the redirect never reach it.
    expect(changed('portal_upstream_response_seconds_count', { route_class: 'mlflow-api' })).toBe(6);
    expect(changed('portal_upstream_response_seconds_count', { route_class: 'artifact' })).toBe(2);
    expect(changed('portal_upstream_response_seconds_count', { route_class: 'mlflow-ui' })).toBe(0);
    expect(after.value('portal_http_requests_in_flight', { handler: 'gateway' })).toBe(0);
  });

  it("counts the body bytes both ways: the upload up, the download (and the upload's small answer) down", () => {
    const changed = delta(before, after);
    expect(changed('portal_gateway_bytes_total', { route_class: 'artifact', direction: 'up' })).toBe(payload.length);
    const down = changed('portal_gateway_bytes_total', { route_class: 'artifact', direction: 'down' });
    expect(down).toBeGreaterThanOrEqual(payload.length);
    expect(down).toBeLessThan(payload.length + 1024);
  });

  it('counts each decision under its outcome and reason', () => {
    const changed = delta(before, after);
    const decision = (outcome: string, reason: string) => changed('portal_auth_decisions_total', { outcome, reason });
    expect({
      allowValid: decision('allow', 'valid'),
      allowRefreshed: decision('allow', 'refreshed'),
      redirect: decision('redirect', 'unauthenticated'),
      denyUnauthenticated: decision('deny', 'unauthenticated'),
      denyPermission: decision('deny', 'permission'),
      denyCrossSite: decision('deny', 'cross-site'),
    }).toEqual({ allowValid: 7 + proxyGates, allowRefreshed: 2, redirect: 1, denyUnauthenticated: 1, denyPermission: 1, denyCrossSite: 0 });
  });

  it('counts cache hits and misses', () => {
    const changed = delta(before, after);
    const cache = (name: string) => [
      changed('portal_cache_lookups_total', { cache: name, result: 'hit' }),
      changed('portal_cache_lookups_total', { cache: name, result: 'miss' }),
    ];
    // Session tokens: misses for editor's and reader's first use, the exchanged access-key session
    // and the refreshed session; hits for editor's repeats (search, upload, download, /auth/user).
    expect(cache('session-token')).toEqual([4 + proxyGates, 4]);
    expect(cache('refresh-token')).toEqual([1, 1]);
    // Every verification after the first JWKS load finds its key.
    expect(cache('jwks')).toEqual([5, 0]);
    expect(cache('access-key')).toEqual([1, 1]);
    expect(cache('session-refresh')).toEqual([1, 1]);
  });

  it('counts each Descope call by operation and outcome', () => {
    const changed = delta(before, after);
    const calls = Object.fromEntries(
      after
        .named('portal_descope_requests_total')
        .map(([id]) => [id, changed(...split(id))])
        .filter(([, n]) => n !== 0),
    );
    expect(calls).toEqual({
      'portal_descope_requests_total{operation="jwks",outcome="ok"}': 1,
      'portal_descope_requests_total{operation="access-key-exchange",outcome="ok"}': 1,
      'portal_descope_requests_total{operation="management-access-key",outcome="ok"}': 1,
      'portal_descope_requests_total{operation="management-user",outcome="ok"}': 1,
      'portal_descope_requests_total{operation="refresh",outcome="ok"}': 1,
    });
    expect(changed('portal_descope_request_duration_seconds_count', { operation: 'refresh' })).toBe(1);
  });
});

it('keeps the number of series fixed whatever users, paths and tokens come by, and names none of them', async () => {
  const before = await scrapeSettled(metricsUrl);
  const users = ['admin@example.com', 'editor@example.com', 'reader@example.com', 'norole@example.com', 'tenant@example.com'];
  const tokens: string[] = [];
  for (let round = 0; round < 4; round += 1) for (const user of users) tokens.push((await portal.session(user)).sessionJwt);
  const markers: string[] = [];
  const calls: Promise<number>[] = [];
  for (let i = 0; i < 120; i += 1) {
    const marker = `m${randomBytes(6).toString('hex')}`;
    markers.push(marker);
    const token = tokens[i % tokens.length];
    calls.push(
      statusOf(api(`/mlflow/api/2.0/mlflow/${marker}/unmapped`, { token })),
      statusOf(api(`/mlflow/api/2.0/mlflow/runs/get?run_id=${marker}`, { token })),
      statusOf(api(`/mlflow/api/2.0/mlflow-artifacts/artifacts/0/${marker}/missing.bin`, { token, accept: '*/*' })),
      statusOf(api(`/mlflow/${marker}.js`, { token, accept: '*/*' })),
      statusOf(search(`${marker}-not-a-key`)),
    );
    if (calls.length >= 50) await Promise.all(calls.splice(0));
  }
  await Promise.all(calls);
  const after = await scrapeSettled(metricsUrl);
  const portalSeries = (scraped: Scrape) => [...scraped.series.keys()].filter((id) => id.startsWith('portal_')).sort();
  expect(portalSeries(after)).toEqual(portalSeries(before));
  expect(after.value('portal_http_requests_total', { route_class: 'mlflow-api', status_class: '4xx' })).toBeGreaterThan(
    before.value('portal_http_requests_total', { route_class: 'mlflow-api', status_class: '4xx' }),
  );
  const labelText = portalSeries(after).join('\n');
  for (const secret of [...markers, ...tokens, accessKey, editor.refreshJwt]) expect(labelText.includes(secret)).toBe(false);
  expect(labelText).not.toMatch(/U2|@example\.com|\/mlflow\//);
});

// Last in this file: it leaves the breaker open (it closes by itself 10 s after the outage).
it('one breaker: opened by gateway traffic while Descope is down, open in /auth/health and in the gauge', async () => {
  const outage = (on: boolean) =>
    fetch(`${portal.emulator.url}/emulator/outage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ on }) });
  const before = await scrapeSettled(metricsUrl);
  expect(before.value('portal_descope_circuit_state', { state: 'closed' })).toBe(1);
  await outage(true);
  try {
    // Access keys the portal has never seen: each one needs an exchange at Descope.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push(await statusOf(search(`outage-key-${i}-${randomBytes(4).toString('hex')}`)));
    expect(statuses).toEqual([503, 503, 503]);

    const health = await api('/auth/health');
    expect(health.status).toBe(503);
    expect((await health.json()).descope).toMatchObject({ reachable: false, circuit: 'open' });
    if (portal.transport === 'custom-server') expect((await portal.runtime.health()).descope.circuit).toBe('open');

    const after = await scrapeSettled(metricsUrl);
    expect(['closed', 'open', 'half-open'].map((state) => after.value('portal_descope_circuit_state', { state }))).toEqual([0, 1, 0]);
    const changed = delta(before, after);
    // Two exchanges failed (three attempts each open the breaker at five); the third request and
    // the health probe were refused by the open breaker without calling Descope.
    expect(changed('portal_descope_requests_total', { operation: 'access-key-exchange', outcome: 'error' })).toBe(2);
    expect(changed('portal_descope_requests_total', { operation: 'access-key-exchange', outcome: 'circuit-open' })).toBe(1);
    // /auth/health's probe, and the runtime's own health() where it runs in this process.
    expect(changed('portal_descope_requests_total', { operation: 'jwks', outcome: 'circuit-open' })).toBe(portal.transport === 'custom-server' ? 2 : 1);
    expect(changed('portal_auth_decisions_total', { outcome: 'deny', reason: 'descope-unavailable' })).toBe(3);
  } finally {
    await outage(false);
  }
});

/** `name{a="x",b="y"}` → [name, {a: x, b: y}], for delta(). */
function split(id: string): [string, Record<string, string>] {
  const at = id.indexOf('{');
  if (at < 0) return [id, {}];
  return [id.slice(0, at), Object.fromEntries([...id.slice(at + 1, -1).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]))];
}
