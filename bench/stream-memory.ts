import { spawn } from 'node:child_process';
import { startEmulator } from '../tools/descope-emulator/server';
import { startMlflow } from '../tools/local-stack/mlflow';
import { DEMO_MANAGEMENT_KEY, DEMO_PROJECT_ID } from '../tools/local-stack/stack';
import { freePort } from '../tools/local-stack/wait';
import { rssMb, sampleRss } from './rss';
import { transfer as transferBytes } from './transfer';

/**
 * 1 GiB up and 1 GiB down through the portal's gateway to a real MLflow (artifact PUT/GET), timed
 * against the same transfer sent to MLflow directly, with the portal's RSS sampled throughout.
 * Usage: npx tsx bench/stream-memory.ts [MiB, default 1024]
 */
const mib = Number(process.argv[2] ?? 1024);
const bytes = mib * 1024 * 1024;
const transfer = (url: string, method: 'PUT' | 'GET', headers: Record<string, string>) => transferBytes(url, method, bytes, headers);

const emulator = await startEmulator({ projectId: DEMO_PROJECT_ID, managementKey: DEMO_MANAGEMENT_KEY, port: 0 });
const mlflow = await startMlflow({ port: await freePort(), dataDir: '.cache/bench-stream' });
const port = await freePort();
// node --import tsx (not the tsx launcher): the pid we sample must be the server's own.
const portal = spawn(process.execPath, ['--import', 'tsx', 'tools/local-stack/gateway-only.ts'], {
  env: { ...process.env, DESCOPE_PROJECT_ID: DEMO_PROJECT_ID, DESCOPE_BASE_URL: emulator.url, MLFLOW_UPSTREAM_URL: mlflow.url, PORT: String(port), PORTAL_AUDIT_LOG: '/dev/null', NODE_ENV: 'production' },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const portalUrl = `http://127.0.0.1:${port}`;
const { sessionJwt } = (await (await fetch(`${emulator.url}/emulator/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ loginId: 'editor@example.com' }) })).json()) as { sessionJwt: string };
await waitForPortal();

async function waitForPortal() {
  for (let attempt = 0; attempt < 120; attempt += 1) {
    const ok = await fetch(`${portalUrl}/mlflow/health`, { headers: { authorization: `Bearer ${sessionJwt}` } }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the portal did not start');
}

const auth = { authorization: `Bearer ${sessionJwt}` };
const path = (tag: string) => `/api/2.0/mlflow-artifacts/artifacts/0/bench/${tag}.bin`;
const idle = rssMb(portal.pid!);
const sampler = sampleRss(portal.pid!);
const upPortal = await transfer(`${portalUrl}/mlflow${path('via-portal')}`, 'PUT', auth);
const downPortal = await transfer(`${portalUrl}/mlflow${path('via-portal')}`, 'GET', auth);
const peak = sampler.stop();
const upDirect = await transfer(`${mlflow.url}${path('direct')}`, 'PUT', {});
const downDirect = await transfer(`${mlflow.url}${path('direct')}`, 'GET', {});

const rate = (ms: number) => `${((bytes / 1024 / 1024) / (ms / 1000)).toFixed(0)} MiB/s`;
console.log(`\n${mib} MiB through the portal vs direct to MLflow`);
console.log(`upload    portal ${rate(upPortal).padStart(10)}   direct ${rate(upDirect).padStart(10)}   ratio ${(upDirect / upPortal).toFixed(2)}`);
console.log(`download  portal ${rate(downPortal).padStart(10)}   direct ${rate(downDirect).padStart(10)}   ratio ${(downDirect / downPortal).toFixed(2)}`);
console.log(`portal RSS idle ${idle.toFixed(1)} MB, peak ${peak.toFixed(1)} MB, growth ${(peak - idle).toFixed(1)} MB (limit 64 MB)`);

portal.kill('SIGTERM');
await mlflow.stop();
await emulator.close();
process.exit(peak - idle <= 64 ? 0 : 1);
