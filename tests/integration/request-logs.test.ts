import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startEmulator } from '@/tools/descope-emulator/server';
import { freePort } from '@/tools/local-stack/wait';
import { stopProcess } from '@/tools/local-stack/mlflow';

/** The portal as its own process, so its stdout (the request log) can be read whole. */
const PROJECT_ID = 'P2logs00000000000000000000000';
const MANAGEMENT_KEY = 'logs-management-key';
const auditFile = resolve('.cache/it-audit.log');
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let portal: ReturnType<typeof spawn>;
let url: string;
let output = '';

beforeAll(async () => {
  rmSync(auditFile, { force: true });
  emulator = await startEmulator({ projectId: PROJECT_ID, managementKey: MANAGEMENT_KEY, port: 0 });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  portal = spawn(resolve('node_modules/.bin/tsx'), ['tools/local-stack/gateway-only.ts'], {
    env: {
      ...process.env,
      DESCOPE_PROJECT_ID: PROJECT_ID,
      DESCOPE_MANAGEMENT_KEY: MANAGEMENT_KEY,
      DESCOPE_BASE_URL: emulator.url,
      MLFLOW_UPSTREAM_URL: inject('mlflowUrl'),
      PORT: String(port),
      PORTAL_AUDIT_LOG: auditFile,
    },
  });
  portal.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  portal.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  for (let i = 0; i < 200 && !output.includes('ready'); i += 1) await new Promise((r) => setTimeout(r, 100));
});
afterAll(async () => {
  await stopProcess(portal);
  await emulator?.close();
});

it('writes one redacted JSON line per request and audits mutations, with no secret anywhere', async () => {
  const session = (await (
    await fetch(`${emulator.url}/emulator/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ loginId: 'editor@example.com' }),
    })
  ).json()) as { sessionJwt: string; refreshJwt: string };
  const DescopeClient = (await import('@descope/node-sdk')).default;
  const management = DescopeClient({ projectId: PROJECT_ID, baseUrl: emulator.url, managementKey: MANAGEMENT_KEY }).management;
  const { data: user } = await management.user.load('editor@example.com');
  const key = (await management.accessKey.create('logs', 0, [], undefined, user!.userId)).data!.cleartext;
  const secrets = [session.sessionJwt, session.refreshJwt, key, MANAGEMENT_KEY, Buffer.from(`u:${key}`).toString('base64')];

  const name = `logged-${Date.now()}`;
  const calls = [
    fetch(`${url}/mlflow/api/2.0/mlflow/experiments/create?token=${key}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.sessionJwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    }),
    fetch(`${url}/mlflow/api/2.0/mlflow/experiments/search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{"max_results":1}',
    }),
    fetch(`${url}/mlflow/api/2.0/mlflow/experiments/search`, {
      method: 'POST',
      headers: { authorization: `Basic ${secrets[4]}`, 'content-type': 'application/json' },
      body: '{"max_results":1}',
    }),
    fetch(`${url}/mlflow/api/2.0/mlflow/experiments/search`, {
      method: 'POST',
      headers: { cookie: `DS=${session.sessionJwt}; DSR=${session.refreshJwt}`, 'content-type': 'application/json' },
      body: '{"max_results":1}',
    }),
    fetch(`${url}/mlflow/api/2.0/mlflow/experiments/search`, { method: 'POST', headers: { authorization: `Bearer ${session.refreshJwt}` }, body: '{}' }),
  ];
  const statuses = [];
  for (const call of calls) statuses.push((await call).status);
  expect(statuses).toEqual([200, 200, 200, 200, 401]);
  await new Promise((r) => setTimeout(r, 300));

  const lines = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const requests = lines.filter((line) => line.event === 'request');
  expect(requests).toHaveLength(5);
  expect(requests.find((line) => line.endpoint === 'experiments/create')).toMatchObject({
    method: 'POST',
    path: '/mlflow/api/2.0/mlflow/experiments/create',
    endpoint: 'experiments/create',
    status: 200,
    user: user!.userId,
  });
  for (const line of requests) expect(Object.keys(line)).toEqual(expect.arrayContaining(['requestId', 'latencyMs', 'upstreamMs', 'bytesIn', 'bytesOut']));

  const audit = readFileSync(auditFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(audit).toContainEqual(
    expect.objectContaining({
      action: 'mlflow.experiments/create',
      actorId: user!.userId,
      result: 'success',
      target: '/mlflow/api/2.0/mlflow/experiments/create',
    }),
  );

  const everything = output + readFileSync(auditFile, 'utf8');
  for (const secret of secrets) expect(everything.includes(secret), `a secret leaked into the logs: ${secret.slice(0, 12)}…`).toBe(false);
});
