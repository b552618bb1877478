import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stopProcess } from '@/tools/local-stack/mlflow';
import { freePort, waitForHttp } from '@/tools/local-stack/wait';
import { startPortalHarness, type PortalHarness } from '@/tests/support/portal-harness';

/**
 * A real Prometheus (Debian's `prometheus` package; .ci/run installs it) scrapes the portal's
 * metrics listener with the scrape config the README shows, and one series is read back through
 * Prometheus' HTTP API. Needs Debian's prometheus package (.ci/run installs it).
 */
const PROMETHEUS = '/usr/bin/prometheus';

let portal: PortalHarness;
let prometheus: ChildProcess | undefined;
let prometheusUrl: string;
let work: string;
let output = '';

beforeAll(async () => {
  // Like Chromium and nginx for the other suites, a test prerequisite: .ci/run installs it.
  if (!existsSync(PROMETHEUS)) throw new Error(`${PROMETHEUS} is missing: apt-get install -y prometheus (.ci/run installs it)`);
  portal = await startPortalHarness({ PORTAL_METRICS_PORT: String(await freePort()) });
  const { sessionJwt } = await portal.session('editor@example.com');
  for (let i = 0; i < 3; i += 1) {
    const response = await fetch(`${portal.url}/mlflow/api/2.0/mlflow/experiments/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sessionJwt}`, 'content-type': 'application/json' },
      body: '{"max_results":1}',
    });
    expect(response.status).toBe(200);
  }
  work = mkdtempSync(join(tmpdir(), 'portal-prometheus-'));
  const target = new URL(portal.metricsUrl!);
  writeFileSync(
    join(work, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: mlflow-portal',
      '    metrics_path: /metrics',
      '    static_configs:',
      `      - targets: ['${target.host}']`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  prometheusUrl = `http://127.0.0.1:${port}`;
  prometheus = spawn(
    PROMETHEUS,
    [`--config.file=${join(work, 'prometheus.yml')}`, `--storage.tsdb.path=${join(work, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prometheus.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  prometheus.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  await waitForHttp(`${prometheusUrl}/-/ready`, 60_000, () => prometheus?.exitCode !== null);
});
afterAll(async () => {
  if (prometheus) await stopProcess(prometheus);
  await portal?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** One instant query; the sample's value, or undefined while Prometheus has not scraped it yet. */
async function query(promql: string): Promise<string | undefined> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await response.json()) as { status: string; data: { result: { value: [number, string] }[] } };
  expect(body.status).toBe('success');
  return body.data.result[0]?.value[1];
}

/** Waits for Prometheus to have scraped a value for `promql` (it scrapes every second). */
async function scraped(promql: string): Promise<string> {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    const value = await query(promql);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Prometheus never had ${promql}\n${output}`);
}

it('Prometheus scrapes the portal and serves its series', async () => {
  expect(await scraped('up{job="mlflow-portal"}')).toBe('1');
  expect(await scraped('portal_http_requests_total{job="mlflow-portal",route_class="mlflow-api",status_class="2xx"}')).toBe('3');
  expect(await scraped('portal_descope_circuit_state{job="mlflow-portal",state="closed"}')).toBe('1');
}, 120_000);
