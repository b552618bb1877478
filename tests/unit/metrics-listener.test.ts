import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config';
import { createPortalRuntime, type PortalRuntime } from '@/lib/runtime/portal-runtime';
import { parseScrape } from '@/tests/support/metrics-scrape';

/** The listener a runtime starts for PORTAL_METRICS_PORT: /metrics and nothing else, on loopback by default. */
let runtime: PortalRuntime;
let url: string | undefined;
beforeAll(async () => {
  runtime = createPortalRuntime(parseConfig({ DESCOPE_PROJECT_ID: 'P2listener', PORTAL_METRICS_PORT: '0' }));
  url = await runtime.listenForMetrics();
});
afterAll(() => runtime.close());

it("binds 127.0.0.1 and serves the runtime's registry in Prometheus text format", async () => {
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  expect(await runtime.listenForMetrics()).toBe(url);
  runtime.metrics.request('page', 200, 0.01);
  const response = await fetch(url!);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const scraped = parseScrape(await response.text());
  expect(scraped.value('portal_http_requests_total', { route_class: 'page', status_class: '2xx' })).toBe(1);
  expect(scraped.named('process_resident_memory_bytes')).toHaveLength(1);
  expect(scraped.value('portal_descope_circuit_state', { state: 'closed' })).toBe(1);
});

it('answers nothing but GET and HEAD /metrics', async () => {
  const origin = new URL(url!).origin;
  expect((await fetch(`${origin}/`)).status).toBe(404);
  expect((await fetch(`${origin}/mlflow/`)).status).toBe(404);
  expect((await fetch(url!, { method: 'POST' })).status).toBe(405);
  expect((await fetch(url!, { method: 'HEAD' })).status).toBe(200);
  expect((await fetch(`${url}?name[]=x`)).status).toBe(200);
});

it('is not started without PORTAL_METRICS_PORT', async () => {
  const quiet = createPortalRuntime(parseConfig({ DESCOPE_PROJECT_ID: 'P2listener' }));
  expect(await quiet.listenForMetrics()).toBeUndefined();
  quiet.close();
});
