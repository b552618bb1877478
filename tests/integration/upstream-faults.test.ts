import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startMlflow, type LocalMlflow } from '@/tools/local-stack/mlflow';
import { freePort } from '@/tools/local-stack/wait';
import { startPortalHarness, type PortalHarness } from '@/tests/support/portal-harness';

/** MLflow dies and comes back under a running portal; a client abandons an upload half way. */
let portal: PortalHarness;
let mlflow: LocalMlflow;
let port: number;
let base: string;
let token: string;
const dataDir = '.cache/it-faults-mlflow';

beforeAll(async () => {
  portal = await startPortalHarness();
  port = await freePort();
  mlflow = await startMlflow({ port, dataDir });
  base = await portal.listen({ upstreamUrl: new URL(mlflow.url) });
  token = (await portal.session('admin@example.com')).sessionJwt;
}, 180_000);
afterAll(async () => {
  await mlflow?.stop();
  await portal?.close();
});

const search = () =>
  fetch(`${base}/mlflow/api/2.0/mlflow/experiments/search`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{"max_results":1}',
  });

it('answers 502 quickly while MLflow is down and recovers when it is back, without a portal restart', async () => {
  expect((await search()).status).toBe(200);
  await mlflow.stop();
  const started = performance.now();
  const down = await search();
  expect(down.status).toBe(502);
  expect((await down.json()).error_code).toBe('TEMPORARILY_UNAVAILABLE');
  expect(performance.now() - started).toBeLessThan(2_000);

  mlflow = await startMlflow({ port, dataDir });
  const statuses = [];
  for (let i = 0; i < 5; i += 1) statuses.push((await search()).status);
  expect(statuses).toEqual([200, 200, 200, 200, 200]);
}, 180_000);

it('an upload the client abandons is never reported as a success', async () => {
  const path = `/mlflow/api/2.0/mlflow-artifacts/artifacts/0/abandoned/artifacts/half-${Date.now()}.bin`;
  const total = 64 * 1024 * 1024;
  await new Promise<void>((resolve) => {
    const req = request(`${base}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-length': String(total) } });
    req.on('error', () => resolve());
    req.on('response', () => resolve());
    const chunk = Buffer.alloc(1024 * 1024, 1);
    let sent = 0;
    const pump = () => {
      while (sent < 8) {
        sent += 1;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      setTimeout(() => req.destroy(), 200);
    };
    pump();
  });
  // What MLflow now holds under that name is at most the partial bytes, never a whole file.
  const listing = await fetch(`${base}/mlflow/api/2.0/mlflow-artifacts/artifacts/0/abandoned/artifacts`, { headers: { authorization: `Bearer ${token}` } });
  const files = ((await listing.json()) as { files?: { path: string; file_size?: string | number }[] }).files ?? [];
  for (const file of files) expect(Number(file.file_size ?? 0)).toBeLessThan(total);
});
