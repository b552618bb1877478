import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repoRoot, stopProcess } from '@/tools/local-stack/mlflow';
import { portalCommand } from '@/tools/local-stack/portal';
import { freePort, waitForHttp } from '@/tools/local-stack/wait';
import { startEmulator } from '@/tools/descope-emulator/server';
import { delta, scrapeSettled } from '@/tests/support/metrics-scrape';

/**
 * The metrics of the real servers, with the production build and the listener each starts at
 * boot. One breaker per process: under the custom server, /mlflow/* runs in server.ts's copy of
 * lib/ and /auth/health in Next's bundle, and both must reach the same runtime. Gateway traffic
 * during a Descope outage opens the breaker; the health route and the gauge then report it open.
 */
const PROJECT_ID = 'P2breaker000000000000000000000';
const servers = [
  ['custom server', 'custom-server', { countsPages: true }],
  ['next start', 'next-start', { countsPages: false }],
] as const;

let emulator: Awaited<ReturnType<typeof startEmulator>>;
beforeAll(async () => {
  if (!existsSync(resolve(repoRoot, '.next/BUILD_ID'))) throw new Error('this test runs the production build: run `npx next build` first');
  emulator = await startEmulator({ projectId: PROJECT_ID, port: 0 });
});
afterAll(() => emulator?.close());

const outage = (on: boolean) =>
  fetch(`${emulator.url}/emulator/outage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ on }) });

describe.each(servers)('%s', (_name, server, { countsPages }) => {
  let url: string;
  let metricsUrl: string;
  let stop: () => Promise<void>;
  let output = '';

  beforeAll(async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const [command, args] = portalCommand(server);
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        HOSTNAME: '127.0.0.1',
        DESCOPE_PROJECT_ID: PROJECT_ID,
        DESCOPE_BASE_URL: emulator.url,
        MLFLOW_UPSTREAM_URL: inject('mlflowUrl'),
        PORTAL_METRICS_PORT: String(metricsPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
    child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8000)));
    stop = () => stopProcess(child);
    url = `http://127.0.0.1:${port}`;
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    try {
      await waitForHttp(`${url}/auth/health`, 90_000, () => child.exitCode !== null);
      await waitForHttp(metricsUrl, 10_000, () => child.exitCode !== null);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${output}`);
    }
  }, 120_000);
  afterAll(async () => {
    await outage(false);
    await stop?.();
  });

  it(countsPages ? 'counts a page, with its status' : 'cannot count a page, but counts its auth decision', async () => {
    const before = await scrapeSettled(metricsUrl);
    const page = await fetch(`${url}/profile`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(page.status).toBe(302);
    await page.arrayBuffer();
    const changed = delta(before, await scrapeSettled(metricsUrl));
    expect(changed('portal_http_requests_total', { route_class: 'page', status_class: '3xx' })).toBe(countsPages ? 1 : 0);
    expect(changed('portal_auth_decisions_total', { outcome: 'redirect', reason: 'unauthenticated' })).toBe(1);
  });

  it('opens the one breaker through the gateway; it is open in /auth/health and in the metrics', async () => {
    const before = await scrapeSettled(metricsUrl);
    expect(before.value('portal_descope_circuit_state', { state: 'closed' })).toBe(1);
    await outage(true);
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const response = await fetch(`${url}/mlflow/api/2.0/mlflow/experiments/search`, {
          method: 'POST',
          headers: { authorization: `Bearer never-seen-key-${i}`, 'content-type': 'application/json' },
          body: '{}',
        });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([503, 503, 503]);
      const health = await fetch(`${url}/auth/health`);
      expect(health.status).toBe(503);
      expect((await health.json()).descope).toMatchObject({ reachable: false, circuit: 'open' });
      const after = await scrapeSettled(metricsUrl);
      expect(['closed', 'open', 'half-open'].map((state) => after.value('portal_descope_circuit_state', { state }))).toEqual([0, 1, 0]);
      const changed = delta(before, after);
      expect(changed('portal_descope_requests_total', { operation: 'access-key-exchange', outcome: 'circuit-open' })).toBe(1);
      expect(changed('portal_http_requests_total', { route_class: 'mlflow-api', status_class: '5xx' })).toBe(3);
      // /auth/health itself, counted by whichever part of this server serves it.
      expect(changed('portal_http_requests_total', { route_class: 'auth', status_class: '5xx' })).toBe(1);
    } finally {
      await outage(false);
    }
  }, 60_000);
});
