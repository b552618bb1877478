import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../tools/descope-emulator/server';
import { startMlflow, stopProcess, type LocalMlflow } from '../tools/local-stack/mlflow';
import { DEMO_PROJECT_ID } from '../tools/local-stack/stack';
import { freePort } from '../tools/local-stack/wait';
import { install, OIDC_USERS, startBasicAuthMlflow, startOidcMlflow, type AuthedMlflow } from './auth-apps';
import type { ApiTarget } from './rest-mix';
import type { NginxProcess } from '../tools/local-stack/nginx';
import { startBareNginx } from './servers/nginx';
import { requireNextBuild, startNextStart } from './servers/next-start';
import { startNodeServer, type NodeServer } from './servers/node-process';
import { startOidcStandIn } from './servers/oidc-stand-in';

export type WayKey = 'direct' | 'portal' | 'next' | 'basic' | 'oidc' | 'nginx';

export interface Way {
  key: WayKey;
  label: string;
  /** Absent when the way could not run; `blocked` says why. */
  target?: ApiTarget;
  blocked?: string;
  /** The portal's server process, whose CPU and RSS the bench samples (portal ways only). */
  pid?: number;
}

export interface BenchStack {
  ways: Way[];
  /** The same request to the trivial upstream, five ways. */
  trivial: { key: 'direct' | 'bare' | 'nginx' | 'portal' | 'next'; label: string; target: ApiTarget; pid?: number }[];
  nginx: NginxProcess;
  stop(): Promise<void>;
}

/**
 * Everything the benchmark measures, on loopback in a temporary directory: the Descope emulator,
 * a plain MLflow (direct, behind the portal's custom server and `next start`, behind nginx),
 * MLflow's basic-auth app, mlflow-oidc-auth with a local OIDC stand-in, and a trivial upstream
 * behind the same two portal servers, a bare http-proxy and nginx. Servers start in parallel where they do not depend on each other.
 */
export async function startBenchStack(log: (line: string) => void, options: { withMlflow: boolean }): Promise<BenchStack> {
  requireNextBuild();
  const dir = mkdtempSync(join(tmpdir(), 'mlflow-portal-bench-'));
  const stoppers: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  };
  try {
    const mlflowEnv = { MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false' };
    const [installError, oidcInstallError] = options.withMlflow ? await Promise.all([install('install-mlflow.sh'), install('install-mlflow-oidc.sh')]) : [];
    if (installError) throw new Error(`scripts/install-mlflow.sh failed: ${installError}`);
    const emulator = await startEmulator({ projectId: DEMO_PROJECT_ID, port: 0, sessionTtlSeconds: 3600 });
    stoppers.push(() => emulator.close());
    const idp = await startOidcStandIn(OIDC_USERS);
    stoppers.push(() => idp.close());
    const sub = (name: string) => (mkdirSync(join(dir, name), { recursive: true }), join(dir, name));

    log(options.withMlflow ? 'starting MLflow (plain, basic-auth, oidc-auth) and the trivial upstream' : 'starting the trivial upstream');
    const track = <T extends { stop(): Promise<void> }>(promise: Promise<T>) => promise.then((value) => (stoppers.push(() => value.stop()), value));
    const trackAuthed = (promise: Promise<AuthedMlflow>) => promise.then((value) => (stoppers.push(() => value.mlflow.stop()), value));
    const trivialPort = await freePort();
    const skipped = Promise.resolve(undefined);
    const [plain, basic, oidc, trivialUpstream] = await Promise.all([
      options.withMlflow ? (track(startMlflow({ port: await freePort(), dataDir: sub('mlflow'), env: mlflowEnv })) as Promise<LocalMlflow>) : skipped,
      options.withMlflow ? trackAuthed(startBasicAuthMlflow(await freePort(), sub('mlflow-basic-auth'))) : skipped,
      !options.withMlflow
        ? skipped
        : oidcInstallError
          ? Promise.resolve(`scripts/install-mlflow-oidc.sh failed: ${oidcInstallError}`)
          : trackAuthed(startOidcMlflow(await freePort(), sub('mlflow-oidc-auth'), idp)).catch((error: Error) => `mlflow-oidc-auth did not start: ${error.message.split('\n').slice(-3).join(' / ')}`),
      startNodeServer('bench/servers/trivial-upstream.ts', [String(trivialPort)], join(dir, 'trivial-upstream.log')),
    ]);
    stoppers.push(() => stopProcess(trivialUpstream.process));
    const trivialUrl = `http://127.0.0.1:${trivialPort}`;

    log('starting the portal (custom server and next start, each x2: MLflow and trivial upstream), a bare http-proxy and nginx');
    const portalEnv = (upstream: string, port: number) => ({
      DESCOPE_PROJECT_ID: DEMO_PROJECT_ID,
      DESCOPE_BASE_URL: emulator.url,
      MLFLOW_UPSTREAM_URL: upstream,
      PORT: String(port),
      PORTAL_AUDIT_LOG: join(dir, 'audit.log'),
      NODE_ENV: 'production',
    });
    const [portalPort, trivialPortalPort, nextPort, trivialNextPort, barePort, nginxPort, nginxTrivialPort] = await Promise.all(Array.from({ length: 7 }, () => freePort()));
    const trackServer = (promise: Promise<NodeServer>) => promise.then((server) => (stoppers.push(() => stopProcess(server.process)), server));
    // Settled, not Promise.all: when one fails, the others must be tracked (and stopped) too.
    const servers = await Promise.allSettled([
      startNodeServer('tools/local-stack/gateway-only.ts', [], join(dir, 'portal.log'), portalEnv(plain?.url ?? trivialUrl, portalPort)),
      startNodeServer('tools/local-stack/gateway-only.ts', [], join(dir, 'portal-trivial.log'), portalEnv(trivialUrl, trivialPortalPort)),
      startNextStart(nextPort, join(dir, 'next-start.log'), portalEnv(plain?.url ?? trivialUrl, nextPort)),
      startNextStart(trivialNextPort, join(dir, 'next-start-trivial.log'), portalEnv(trivialUrl, trivialNextPort)),
      startNodeServer('bench/servers/bare-proxy.ts', [String(barePort), trivialUrl], join(dir, 'bare-proxy.log')),
    ].map(trackServer));
    const failed = servers.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [portal, trivialPortal, next, trivialNext, bareProxy] = servers.map((result) => (result as PromiseFulfilledResult<NodeServer>).value);
    const nginx = await startBareNginx([{ port: nginxTrivialPort, upstream: trivialUrl }, ...(plain ? [{ port: nginxPort, upstream: plain.url }] : [])]);
    stoppers.push(() => nginx.stop());

    const session = await fetch(`${emulator.url}/emulator/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ loginId: 'editor@example.com' }) });
    const { sessionJwt } = (await session.json()) as { sessionJwt: string };
    const bearer = { authorization: `Bearer ${sessionJwt}` };
    const ways: Way[] = !plain || !basic ? [] : [
      { key: 'direct', label: 'direct to MLflow', target: { base: plain.url, headers: {} } },
      { key: 'portal', label: 'this portal', target: { base: `http://127.0.0.1:${portalPort}/mlflow`, headers: bearer }, pid: portal.pid },
      { key: 'next', label: 'portal (next start)', target: { base: `http://127.0.0.1:${nextPort}/mlflow`, headers: bearer }, pid: next.pid },
      { key: 'basic', label: 'MLflow basic-auth', target: { base: basic.mlflow.url, headers: basic.headers } },
      typeof oidc === 'string' || !oidc
        ? { key: 'oidc', label: 'mlflow-oidc-auth', blocked: oidc ?? 'not started' }
        : { key: 'oidc', label: 'mlflow-oidc-auth', target: { base: oidc.mlflow.url, headers: oidc.headers } },
      { key: 'nginx', label: 'nginx (no auth)', target: { base: `http://127.0.0.1:${nginxPort}`, headers: {} } },
    ];
    const trivialPath = '/api/2.0/mlflow/experiments/get?experiment_id=0';
    const trivial: BenchStack['trivial'] = [
      { key: 'direct', label: 'direct', target: { base: `${trivialUrl}${trivialPath}`, headers: bearer } },
      { key: 'bare', label: 'bare http-proxy', target: { base: `http://127.0.0.1:${barePort}${trivialPath}`, headers: bearer }, pid: bareProxy.pid },
      { key: 'nginx', label: 'nginx', target: { base: `http://127.0.0.1:${nginxTrivialPort}${trivialPath}`, headers: bearer } },
      { key: 'portal', label: 'this portal', target: { base: `http://127.0.0.1:${trivialPortalPort}/mlflow${trivialPath}`, headers: bearer }, pid: trivialPortal.pid },
      { key: 'next', label: 'portal (next start)', target: { base: `http://127.0.0.1:${trivialNextPort}/mlflow${trivialPath}`, headers: bearer }, pid: trivialNext.pid },
    ];
    return { ways, trivial, nginx, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
