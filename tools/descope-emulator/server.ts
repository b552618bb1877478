import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { applyCors, requestUrl, sendError, sendJson } from './http';
import { KeyRing } from './keys';
import { resolveRoute, type Route } from './router';
import { authRoutes } from './routes/auth';
import { emulatorRoutes } from './routes/emulator';
import { managementRoutes } from './routes/management';
import { StateFile } from './persistence';
import { loadSeed } from './seed';
import { EmulatorState } from './state';

export const PRODUCTION_REFUSAL = 'the Descope emulator is a dev/test tool and refuses to run with NODE_ENV=production';

const optionsSchema = z.object({
  // The project id travels in `Bearer <pid>:<token>` and in the issuer URL: no ':' or '/'.
  projectId: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
  managementKey: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65_535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  usersFile: z.string().min(1).optional(),
  /** Save users, roles and access keys here after each change and restore them at start. */
  stateFile: z.string().min(1).optional(),
  sessionTtlSeconds: z.number().int().positive().default(600),
  refreshTtlSeconds: z
    .number()
    .int()
    .positive()
    .default(30 * 24 * 3600),
});

export type EmulatorOptions = z.input<typeof optionsSchema>;

export interface Emulator {
  url: string;
  port: number;
  projectId: string;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function handler(state: EmulatorState, routes: Route[]) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (applyCors(req, res)) return;
      const url = requestUrl(req);
      const isKnob = url.pathname.startsWith('/emulator/');
      if (!isKnob) {
        state.countRequest(url.pathname);
        if (state.outage.intercept(res)) return;
      }
      const { handler: handle, params } = resolveRoute(routes, req.method ?? 'GET', url.pathname);
      sendJson(res, 200, await handle({ req, query: url.searchParams, params }));
    } catch (error) {
      sendError(res, error);
    }
  };
}

/**
 * Starts a Descope-compatible emulator on loopback; every call gets a fresh copy of the seed, or
 * with `stateFile` the users and access keys saved there by an earlier run.
 */
export async function startEmulator(input: EmulatorOptions): Promise<Emulator> {
  if (process.env.NODE_ENV === 'production') throw new Error(PRODUCTION_REFUSAL);
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid emulator options: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
  const options = parsed.data;
  const seed = loadSeed(options.usersFile);
  // Before listening: a state file that cannot be used stops the start, and nothing overwrites it.
  const stateFile = options.stateFile ? new StateFile(options.stateFile, options.projectId) : undefined;
  const saved = stateFile?.load(seed);
  const keys = await KeyRing.create();
  const server = createServer();
  const port = await listen(server, options.port, options.host);
  const url = `http://${urlHost(options.host)}:${port}`;
  const lifetimes = { sessionTtlSeconds: options.sessionTtlSeconds, refreshTtlSeconds: options.refreshTtlSeconds };
  const state = new EmulatorState({
    projectId: options.projectId,
    managementKey: options.managementKey,
    keys,
    lifetimes,
    seed,
    issuer: `${url}/${options.projectId}`,
    stateFile,
    saved,
  });
  const routes = [...authRoutes(state), ...managementRoutes(state), ...emulatorRoutes(state)];
  server.on('request', handler(state, routes));
  return {
    url,
    port,
    projectId: options.projectId,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Held (outage "hang") and keep-alive connections would otherwise keep close() waiting.
        server.closeAllConnections();
      }),
  };
}
