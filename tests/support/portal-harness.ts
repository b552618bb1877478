import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { resolve } from 'node:path';
import { inject } from 'vitest';
import { listenOnLoopback, freePort, waitForHttp } from '@/tools/local-stack/wait';
import { repoRoot, stopProcess } from '@/tools/local-stack/mlflow';
import { startEmulator } from '@/tools/descope-emulator/server';
import { parseConfig, type Config } from '@/lib/config';
import { createPortalRuntime, installPortalRuntime, type PortalRuntime } from '@/lib/runtime/portal-runtime';
import { createPortalServer } from '@/lib/server/portal-server';
import { respond } from '@/tests/support/route-handler-server';

export const PROJECT_ID = 'P2emulator0000000000000000000';
export const MANAGEMENT_KEY = 'emulator-management-key';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/**
 * Which transport carries /mlflow/* in this run: the custom server (server.ts's routing and the
 * real gateway, in this test process, with Next replaced by a 404 handler), or `next start` (the
 * production build as its own process, /mlflow/* through the App Router route handler). `npm test`
 * runs the gateway and attack suites once per transport (PORTAL_TEST_TRANSPORT).
 */
export type Transport = 'custom-server' | 'next-start';
export const TRANSPORT: Transport = process.env.PORTAL_TEST_TRANSPORT === 'next-start' ? 'next-start' : 'custom-server';

type Overrides = Partial<Pick<Config, 'upstreamUrl' | 'upstreamTimeoutMs'>>;

/**
 * The portal in front of the suite's real MLflow and a fresh emulator. The process's runtime is
 * installed too, so route handlers and server code imported by a test share its caches.
 */
export async function startPortalHarness(env: Record<string, string> = {}) {
  const emulator = await startEmulator({ projectId: PROJECT_ID, managementKey: MANAGEMENT_KEY, port: 0 });
  const portalEnv: Record<string, string> = {
    DESCOPE_PROJECT_ID: PROJECT_ID,
    DESCOPE_MANAGEMENT_KEY: MANAGEMENT_KEY,
    DESCOPE_BASE_URL: emulator.url,
    MLFLOW_UPSTREAM_URL: inject('mlflowUrl'),
    MLFLOW_UPSTREAM_TIMEOUT_MS: '5000',
    ...env,
  };
  const config = parseConfig(portalEnv);
  const runtime = installPortalRuntime(createPortalRuntime(config));
  const closers: (() => Promise<void>)[] = [];
  /** Headers of the requests that were handed to (the stand-in for) Next. */
  const nextRequests: (IncomingHttpHeaders & { url?: string })[] = [];

  async function listen(overrides: Overrides = {}): Promise<string> {
    if (TRANSPORT === 'next-start') {
      const started = await startNextPortal({ ...portalEnv, ...envOf(overrides) });
      closers.push(started.stop);
      return started.url;
    }
    const server: Server = createPortalServer(
      overrides.upstreamUrl || overrides.upstreamTimeoutMs ? createPortalRuntime({ ...config, ...overrides }) : runtime,
      async (req, res) => {
        nextRequests.push({ ...req.headers, url: req.url });
        const handler = await routeHandlerFor(req.method ?? 'GET', req.url ?? '/');
        if (handler) return respond(handler, req, res);
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('next');
      },
    );
    const { url, close } = await listenOnLoopback(server);
    closers.push(close);
    return url;
  }

  const url = await listen();
  // PORTAL_METRICS_PORT in `env`: the listener of the portal under test (the runtime here starts it
  // as boot.ts would; `next start` starts its own at boot, on that port).
  const metrics = config.metrics;
  const metricsUrl = !metrics ? undefined : TRANSPORT === 'next-start' ? `http://${metrics.host}:${metrics.port}/metrics` : await runtime.listenForMetrics();
  return {
    url,
    metricsUrl,
    transport: TRANSPORT,
    emulator,
    mlflowUrl: inject('mlflowUrl'),
    config,
    runtime,
    nextRequests,
    /** Another portal with config overrides (e.g. a recording upstream). */
    listen,
    async session(loginId: string): Promise<{ sessionJwt: string; refreshJwt: string }> {
      const response = await fetch(`${emulator.url}/emulator/session`, {
        method: 'POST',
        body: JSON.stringify({ loginId }),
        headers: { 'content-type': 'application/json' },
      });
      if (!response.ok) throw new Error(`emulator session for ${loginId}: ${response.status}`);
      return response.json();
    },
    async close() {
      await Promise.all(closers.map((close) => close()));
      runtime.close();
      await emulator.close();
    },
  };
}

export type PortalHarness = Awaited<ReturnType<typeof startPortalHarness>>;

// The stand-in for Next serves the app's own /auth/* route handlers (pages are the browser suite's).
const routeModules: Record<string, () => Promise<Record<string, unknown>>> = {
  '/auth/logout': () => import('@/app/auth/logout/route'),
  '/auth/user': () => import('@/app/auth/user/route'),
  '/auth/health': () => import('@/app/auth/health/route'),
  '/auth/session': () => import('@/app/auth/session/route'),
  '/auth/login/demo': () => import('@/app/auth/login/demo/route'),
};

async function routeHandlerFor(method: string, url: string): Promise<((request: Request) => Promise<Response>) | undefined> {
  const load = routeModules[url.split('?')[0]];
  const handler = load ? (await load())[method] : undefined;
  return typeof handler === 'function' ? (handler as (request: Request) => Promise<Response>) : undefined;
}

function envOf(overrides: Overrides): Record<string, string> {
  return {
    ...(overrides.upstreamUrl ? { MLFLOW_UPSTREAM_URL: overrides.upstreamUrl.href } : {}),
    ...(overrides.upstreamTimeoutMs ? { MLFLOW_UPSTREAM_TIMEOUT_MS: String(overrides.upstreamTimeoutMs) } : {}),
  };
}

/** The production build under `next start`: no custom server, /mlflow/* is the route handler. */
async function startNextPortal(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }> {
  if (!existsSync(resolve(repoRoot, '.next/BUILD_ID')))
    throw new Error('PORTAL_TEST_TRANSPORT=next-start needs a production build: run `npx next build` first');
  const port = await freePort();
  let output = '';
  const child = spawn(resolve(repoRoot, 'node_modules/.bin/next'), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: repoRoot,
    env: { ...process.env, ...env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/auth/login`, 60_000, () => child.exitCode !== null);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`next start did not come up: ${(error as Error).message}\n${output}`);
  }
  return { url, stop: () => stopProcess(child) };
}

/** An MLflow REST call through the portal as a given bearer token. */
export async function mlflowApi(portalUrl: string, token: string | undefined, method: string, endpoint: string, body?: unknown) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${portalUrl}/mlflow/api/2.0/mlflow/${endpoint}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json: json as Record<string, any>, headers: response.headers };
}

/**
 * A call to the portal's `/mlflow{path}` as a bearer token. `json` is `{}` when the answer is not
 * JSON (MLflow's own 403 is plain text); `text` is the body as sent.
 */
export async function portalMlflowCall(
  portalUrl: string,
  token: string,
  request: { method: string; path: string; body?: unknown; headers?: Record<string, string> },
): Promise<{ status: number; json: Record<string, any>; text: string }> {
  const { method, path, body } = request;
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json', ...request.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${portalUrl}/mlflow${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Record<string, any> = {};
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: json stays {}
  }
  return { status: response.status, json, text };
}

export type { PortalRuntime };
