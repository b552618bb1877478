import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { resolve } from 'node:path';
import { startEmulator } from '../tools/descope-emulator/server';
import { startMlflow, stopProcess } from '../tools/local-stack/mlflow';
import { DEMO_MANAGEMENT_KEY, DEMO_PROJECT_ID } from '../tools/local-stack/stack';
import { freePort } from '../tools/local-stack/wait';

/**
 * Bounded load: N signed-in clients (editors writing, readers reading) for a fixed time against
 * the portal and a real MLflow on loopback. Reports requests and errors by kind; exits 1 when an
 * error was the portal's own (not a status MLflow itself produced).
 * Usage: npx tsx bench/load.ts [clients=16] [seconds=20]
 */
const clients = Number(process.argv[2] ?? 16);
const seconds = Number(process.argv[3] ?? 20);

const emulator = await startEmulator({ projectId: DEMO_PROJECT_ID, managementKey: DEMO_MANAGEMENT_KEY, port: 0 });
const mlflow = await startMlflow({ port: await freePort(), dataDir: '.cache/bench-load' });
const port = await freePort();
const portal = spawn(resolve('node_modules/.bin/tsx'), ['tools/local-stack/gateway-only.ts'], {
  env: {
    ...process.env,
    DESCOPE_PROJECT_ID: DEMO_PROJECT_ID,
    DESCOPE_BASE_URL: emulator.url,
    MLFLOW_UPSTREAM_URL: mlflow.url,
    PORT: String(port),
    PORTAL_AUDIT_LOG: '/dev/null',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const agent = new Agent({ keepAlive: true, maxSockets: clients });

function call(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, any> }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: `/mlflow/api/2.0/mlflow/${path}`,
        agent,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(payload ? { 'content-length': payload.length } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          let json = {};
          try {
            json = JSON.parse(Buffer.concat(chunks).toString() || '{}');
          } catch {}
          done({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on('error', fail);
    req.end(payload);
  });
}

async function session(loginId: string): Promise<string> {
  const response = await fetch(`${emulator.url}/emulator/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ loginId }),
  });
  return ((await response.json()) as { sessionJwt: string }).sessionJwt;
}

for (let i = 0; i < 100; i += 1) {
  if (
    await call(await session('reader@example.com'), 'POST', 'experiments/search', { max_results: 1 }).then(
      (r) => r.status === 200,
      () => false,
    )
  )
    break;
  await new Promise((r) => setTimeout(r, 200));
}

const errors = new Map<string, number>();
let requests = 0;
const deadline = Date.now() + seconds * 1000;
const note = (kind: string) => errors.set(kind, (errors.get(kind) ?? 0) + 1);

async function client(index: number) {
  const writer = index % 2 === 0;
  const token = await session(writer ? 'editor@example.com' : 'reader@example.com');
  const experiment = writer ? (await call(token, 'POST', 'experiments/create', { name: `load-${index}-${Date.now()}` })).json.experiment_id : '0';
  const run = writer ? (await call(token, 'POST', 'runs/create', { experiment_id: experiment, start_time: Date.now() })).json.run?.info?.run_id : undefined;
  let step = 0;
  while (Date.now() < deadline) {
    const steps: [string, string, unknown][] = writer
      ? [
          ['POST', 'runs/log-batch', { run_id: run, metrics: [{ key: 'loss', value: Math.random(), timestamp: Date.now(), step }] }],
          ['GET', `metrics/get-history?run_id=${run}&metric_key=loss`, undefined],
        ]
      : [
          ['POST', 'experiments/search', { max_results: 5 }],
          ['POST', 'runs/search', { experiment_ids: ['0'], max_results: 5 }],
        ];
    for (const [method, path, body] of steps) {
      requests += 1;
      try {
        const { status, json } = await call(token, method, path, body);
        if (status >= 400)
          note(
            json.error_code && !['UNAUTHENTICATED', 'PERMISSION_DENIED', 'TEMPORARILY_UNAVAILABLE', 'INTERNAL_ERROR'].includes(json.error_code)
              ? `upstream ${status} ${json.error_code}`
              : `portal ${status} ${json.error_code ?? ''}`,
          );
      } catch (error) {
        note(`network ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    }
    step += 1;
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
const elapsed = (performance.now() - started) / 1000;
console.log(`\n${clients} clients for ${seconds} s: ${requests} requests, ${(requests / elapsed).toFixed(0)} req/s`);
const portalErrors = [...errors].filter(([kind]) => !kind.startsWith('upstream'));
console.log(errors.size === 0 ? 'errors: none' : `errors by kind:\n${[...errors].map(([kind, n]) => `  ${kind}: ${n}`).join('\n')}`);
console.log(`portal errors (not MLflow's own): ${portalErrors.reduce((sum, [, n]) => sum + n, 0)}`);

agent.destroy();
await stopProcess(portal);
await mlflow.stop();
await emulator.close();
process.exit(portalErrors.length === 0 ? 0 : 1);
