import { listenOnLoopback } from '@/tools/local-stack/wait';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { inject } from 'vitest';
import { startEmulator } from '@/tools/descope-emulator/server';

export const PROJECT_ID = 'P2emulator0000000000000000000';
export const MANAGEMENT_KEY = 'emulator-management-key';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

/**
 * The portal's server (server.ts's routing and the real gateway) in this test process, in front of
 * the suite's real MLflow and a fresh emulator. Next itself is replaced by a 404 handler: these
 * tests are about /mlflow/*; the pages have their own browser suite.
 */
export async function startPortalHarness(env: Record<string, string> = {}) {
  const emulator = await startEmulator({ projectId: PROJECT_ID, managementKey: MANAGEMENT_KEY, port: 0 });
  Object.assign(process.env, {
    DESCOPE_PROJECT_ID: PROJECT_ID,
    DESCOPE_MANAGEMENT_KEY: MANAGEMENT_KEY,
    DESCOPE_BASE_URL: emulator.url,
    MLFLOW_UPSTREAM_URL: inject('mlflowUrl'),
    MLFLOW_UPSTREAM_TIMEOUT_MS: '5000',
    ...env,
  });
  // Imported after the environment is set: config is parsed once per test file.
  const { getConfig } = await import('@/lib/config');
  const { getAuthDeps } = await import('@/lib/auth/runtime');
  const { createPortalServer } = await import('@/lib/server/portal-server');
  const config = getConfig();
  const servers: Server[] = [];
  /** Headers of the requests that were handed to (the stand-in for) Next. */
  const nextRequests: IncomingHttpHeaders[] = [];

  async function listen(overrides: Partial<typeof config> = {}): Promise<string> {
    const server = createPortalServer({ ...config, ...overrides }, getAuthDeps(), async (req, res) => {
      nextRequests.push(req.headers);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('next');
    });
    servers.push(server);
    return (await listenOnLoopback(server)).url;
  }

  const url = await listen();
  return {
    url,
    emulator,
    mlflowUrl: inject('mlflowUrl'),
    config,
    nextRequests,
    /** Another portal server with config overrides (e.g. a recording upstream). */
    listen,
    async session(loginId: string): Promise<{ sessionJwt: string; refreshJwt: string }> {
      const response = await fetch(`${emulator.url}/emulator/session`, { method: 'POST', body: JSON.stringify({ loginId }), headers: { 'content-type': 'application/json' } });
      if (!response.ok) throw new Error(`emulator session for ${loginId}: ${response.status}`);
      return response.json();
    },
    async close() {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
      await emulator.close();
    },
  };
}

export type PortalHarness = Awaited<ReturnType<typeof startPortalHarness>>;

/** An MLflow REST call through the portal as a given bearer token. */
export async function mlflowApi(portalUrl: string, token: string | undefined, method: string, endpoint: string, body?: unknown) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${portalUrl}/mlflow/api/2.0/mlflow/${endpoint}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json: json as Record<string, any>, headers: response.headers };
}
