import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator } from '../tools/descope-emulator/server';
import { startMlflow, stopProcess } from '../tools/local-stack/mlflow';
import { DEMO_MANAGEMENT_KEY, DEMO_PROJECT_ID } from '../tools/local-stack/stack';
import { freePort, waitForHttp } from '../tools/local-stack/wait';

/**
 * `npm run check:standalone` (after `npm run build:standalone`): copies .next/standalone out of the
 * repo (so nothing can resolve from the repo's node_modules), starts it with plain `node server.js`
 * and an empty environment apart from the portal's variables, in front of the emulator and a real
 * MLflow, then checks /auth/health and an MLflow API call through /mlflow/; then the same with
 * `node next-server.js` (Next's own server, the route-handler transport).
 */
const root = resolve(import.meta.dirname, '..');
const bundle = resolve(root, '.next/standalone');
if (!existsSync(join(bundle, 'server.js'))) {
  console.error('no standalone build: run `npm run build:standalone` first');
  process.exit(1);
}
const work = mkdtempSync(join(tmpdir(), 'portal-standalone-'));
cpSync(bundle, join(work, 'portal'), { recursive: true });
const emulator = await startEmulator({ projectId: DEMO_PROJECT_ID, managementKey: DEMO_MANAGEMENT_KEY, port: await freePort() });
const mlflow = await startMlflow({ port: await freePort(), dataDir: join(work, 'mlflow') });

/** Starts one of the bundle's servers from the copy and checks health and an MLflow API call. */
async function check(serverFile: string): Promise<string[]> {
  const port = await freePort();
  let output = '';
  const portal = spawn(process.execPath, [serverFile], {
    cwd: join(work, 'portal'),
    env: {
      PATH: '/usr/bin:/bin',
      NODE_ENV: 'production',
      DESCOPE_PROJECT_ID: DEMO_PROJECT_ID,
      DESCOPE_MANAGEMENT_KEY: DEMO_MANAGEMENT_KEY,
      DESCOPE_BASE_URL: emulator.url,
      MLFLOW_UPSTREAM_URL: mlflow.url,
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  portal.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  portal.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const failures: string[] = [];
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/auth/health`, 60_000, () => portal.exitCode !== null);
    const health = (await (await fetch(`${url}/auth/health`)).json()) as { status: string; mlflow: { reachable: boolean } };
    if (health.status !== 'ok' || !health.mlflow.reachable) failures.push(`/auth/health: ${JSON.stringify(health)}`);
    const session = (await (
      await fetch(`${emulator.url}/emulator/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ loginId: 'editor@example.com' }),
      })
    ).json()) as { sessionJwt: string };
    const created = await fetch(`${url}/mlflow/api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.sessionJwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `standalone-${serverFile}-${Date.now()}` }),
    });
    const body = (await created.json()) as { experiment_id?: string };
    if (created.status !== 200 || !body.experiment_id) failures.push(`experiments/create: ${created.status} ${JSON.stringify(body)}`);
    if (/warn/i.test(output.replace(/WARNING: DESCOPE_BASE_URL=.*emulator.*\n/, ''))) failures.push('the portal printed a warning');
  } catch (error) {
    failures.push((error as Error).message);
  } finally {
    await stopProcess(portal);
  }
  if (failures.length === 0) return [];
  return [...failures.map((failure) => `${serverFile}: ${failure}`), `${serverFile} output:\n${output}`];
}

const failures: string[] = [];
try {
  for (const serverFile of ['server.js', 'next-server.js']) failures.push(...(await check(serverFile)));
} finally {
  await mlflow.stop();
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
}
if (failures.length > 0) {
  console.error(`standalone check failed:\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('standalone check passed: node server.js and node next-server.js each served /auth/health and an MLflow API call from a copy outside the repo');
