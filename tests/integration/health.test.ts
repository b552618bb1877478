import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Config } from '@/lib/config';
import { checkHealth, UPSTREAM_ID_ARTIFACT } from '@/lib/health';
import { startMlflow } from '@/tools/local-stack/mlflow';
import { PortBusyError } from '@/tools/local-stack/ports';
import { listenOnLoopback } from '@/tools/local-stack/wait';
import { startPortalHarness, type PortalHarness } from '@/tests/support/portal-harness';

let portal: PortalHarness;
let GET: () => Promise<Response>;
beforeAll(async () => {
  portal = await startPortalHarness();
  ({ GET } = await import('@/app/auth/health/route'));
});
afterAll(() => portal?.close());

const outage = (on: boolean) =>
  fetch(`${portal.emulator.url}/emulator/outage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ on }) });

it('is 200 with MLflow and Descope reachable, and reports both', async () => {
  const response = await GET();
  const health = await response.json();
  expect(response.status).toBe(200);
  expect(health).toMatchObject({ status: 'ok', mlflow: { reachable: true, status: 200 }, descope: { reachable: true, circuit: 'closed' } });
  expect(health.mlflow.latencyMs).toBeGreaterThan(0);
  expect(health.descope.jwksKeys).toBeGreaterThan(0);
  expect(health.version).toMatch(/^\d+\.\d+\.\d+/);
});

it('is 503 while the Descope outage switch is on, and recovers after', async () => {
  await outage(true);
  try {
    const response = await GET();
    expect(response.status).toBe(503);
    expect((await response.json()).descope.reachable).toBe(false);
  } finally {
    await outage(false);
  }
  // The breaker may still be open from the outage; health recovers once it lets a trial through.
  portal.runtime.descope.breaker.recordSuccess();
  expect((await GET()).status).toBe(200);
});

describe('which MLflow answers', () => {
  const health = (config: Partial<Pick<Config, 'upstreamUrl' | 'upstreamId'>>) =>
    checkHealth({
      config: { upstreamUrl: portal.config.upstreamUrl, upstreamId: undefined, ...config },
      keys: portal.runtime.keys,
      breaker: portal.runtime.descope.breaker,
    });
  let impostor: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    // What the demo met on :5000: a server that answers /health, and nothing else like MLflow.
    impostor = await listenOnLoopback(createServer((req, res) => res.writeHead(req.url === '/health' ? 200 : 404).end(req.url === '/health' ? 'OK' : 'no')));
  });
  afterAll(() => impostor?.close());

  it("reports MLflow's version, and is unhealthy when the server on the upstream URL only answers /health", async () => {
    expect((await health({})).mlflow).toMatchObject({ reachable: true, version: '3.18.0', identity: 'unchecked' });
    const other = await health({ upstreamUrl: new URL(impostor.url) });
    expect(other.status).toBe('unhealthy');
    expect(other.mlflow).toMatchObject({
      reachable: true,
      version: null,
      error: 'answers /health but not /version like MLflow: MLFLOW_UPSTREAM_URL names another server',
    });
  });

  it('with MLFLOW_UPSTREAM_ID, is healthy only when the MLflow serves that id from its artifact root', async () => {
    const upstreamId = `it-${Date.now()}`;
    writeFileSync(resolve(inject('mlflowDataDir'), 'artifacts', UPSTREAM_ID_ARTIFACT), `${upstreamId}\n`);
    expect(await health({ upstreamId })).toMatchObject({ status: 'ok', mlflow: { identity: 'verified' } });
    const another = await health({ upstreamId: 'another-mlflow-id' });
    expect(another).toMatchObject({
      status: 'unhealthy',
      mlflow: { reachable: true, identity: 'mismatch', error: `another MLflow: its ${UPSTREAM_ID_ARTIFACT} does not say MLFLOW_UPSTREAM_ID` },
    });
    expect((await health({ upstreamId, upstreamUrl: new URL(impostor.url) })).status).toBe('unhealthy');
  });

  it('a local MLflow started on a port another server answers is refused as a busy port, not taken for started', { timeout: 60_000 }, async () => {
    const port = Number(new URL(impostor.url).port);
    const started = startMlflow({ port, dataDir: '.cache/it-mlflow-impostor', upstreamId: 'it-impostor-check' });
    await expect(started).rejects.toBeInstanceOf(PortBusyError);
    await expect(started).rejects.toThrow(`port ${port} (MLflow) is already in use`);
  });
});
