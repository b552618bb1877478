import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../tools/descope-emulator/server';
import { startMlflow, stopProcess, type LocalMlflow } from '../tools/local-stack/mlflow';
import { DEMO_PROJECT_ID } from '../tools/local-stack/stack';
import { freePort } from '../tools/local-stack/wait';
import { install, OIDC_USERS, startBasicAuthMlflow, startOidcMlflow, startRbacMlflow, type AuthedMlflow } from './auth-apps';
import type { ApiTarget } from './rest-mix';
import type { NginxProcess } from '../tools/local-stack/nginx';
import { filteredServers, FILTERED_BASIC_USERS } from './filtered-ways';
import type { FilteredServer } from './filtered-search';
import { limiter } from './pool';
import { startBareNginx } from './servers/nginx';
import { requireNextBuild, startNextStart } from './servers/next-start';
import { startNodeServer, type NodeServer } from './servers/node-process';
import { startOidcStandIn } from './servers/oidc-stand-in';

export type WayKey = 'direct' | 'portal' | 'next' | 'basic' | 'rbac' | 'oidc' | 'nginx';
/** `portal-metrics`: the custom server as `portal`, with PORTAL_METRICS_PORT set and its listener on. */
export type TrivialKey = 'direct' | 'bare' | 'nginx' | 'portal' | 'portal-metrics' | 'next';

/** `all`: every way and case; `trivial`: only the trivial upstream; `rbac`: the RBAC way (with direct and basic-auth as its references) and the filtered search. */
export type BenchMode = 'all' | 'trivial' | 'rbac';

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
  /** The same request to the trivial upstream, six ways (none in `rbac` mode). */
  trivial: { key: TrivialKey; label: string; target: ApiTarget; pid?: number }[];
  /** The filtered-search case's three servers (none in `trivial` mode). */
  filtered: FilteredServer[];
  /** Absent in `rbac` mode. */
  nginx?: NginxProcess;
  stop(): Promise<void>;
}

/** MLflow servers starting at once: each start is mostly Python imports, on 2 shared cores. */
const MLFLOW_STARTS_AT_ONCE = 2;

/**
 * Everything the benchmark measures, on loopback in a temporary directory: the Descope emulator,
 * a plain MLflow (direct, behind the portal's custom server and `next start`, behind nginx),
 * MLflow's basic-auth app, MLflow's auth app with this repo's plugin behind the portal in mlflow
 * mode, mlflow-oidc-auth with a local OIDC stand-in, the filtered-search case's three servers, and
 * a trivial upstream behind the same two portal servers (the custom server twice: metrics off and
 * on), a bare http-proxy and nginx. Servers
 * start in parallel where they do not depend on each other.
 */
export async function startBenchStack(log: (line: string) => void, options: { mode: BenchMode }): Promise<BenchStack> {
  const { mode } = options;
  const withMlflow = mode !== 'trivial';
  const withOthers = mode !== 'rbac';
  if (withOthers) requireNextBuild();
  const dir = mkdtempSync(join(tmpdir(), 'mlflow-portal-bench-'));
  const stoppers: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  };
  try {
    const mlflowEnv = { MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false' };
    const [installError, oidcInstallError] = await Promise.all([
      withMlflow ? install('install-mlflow.sh') : undefined,
      mode === 'all' ? install('install-mlflow-oidc.sh') : undefined,
    ]);
    if (installError) throw new Error(`scripts/install-mlflow.sh failed: ${installError}`);
    const emulator = await startEmulator({ projectId: DEMO_PROJECT_ID, port: 0, sessionTtlSeconds: 3600 });
    stoppers.push(() => emulator.close());
    const sub = (name: string) => (mkdirSync(join(dir, name), { recursive: true }), join(dir, name));
    // One secret for both RBAC servers: each trusts only the portal in front of it, as in production.
    const assertionSecret = randomBytes(32).toString('base64url');

    log(
      withMlflow
        ? `starting MLflow (${mode === 'all' ? 'plain, basic-auth, rbac, oidc-auth' : 'plain, basic-auth, rbac'}; filtered search: plain, basic-auth, rbac)${withOthers ? ' and the trivial upstream' : ''}`
        : 'starting the trivial upstream',
    );
    // Every start is awaited (and its server tracked for stopping) before any failure is thrown.
    const starts: Promise<unknown>[] = [];
    const begin = <T>(promise: Promise<T>) => (starts.push(promise.catch(() => undefined)), promise);
    const gate = limiter(MLFLOW_STARTS_AT_ONCE);
    const mlflowAt = (start: (port: number) => Promise<LocalMlflow>) =>
      begin(gate(async () => start(await freePort())).then((value) => (stoppers.push(() => value.stop()), value)));
    const authedAt = <T extends AuthedMlflow>(start: (port: number) => Promise<T>) =>
      gate(async () => start(await freePort())).then((value) => (stoppers.push(() => value.mlflow.stop()), value));
    const skipped = Promise.resolve(undefined);
    const plainP = withMlflow ? mlflowAt((port) => startMlflow({ port, dataDir: sub('mlflow'), env: mlflowEnv })) : skipped;
    const basicP = withMlflow ? begin(authedAt((port) => startBasicAuthMlflow(port, sub('mlflow-basic-auth')))) : skipped;
    const rbacP = withMlflow ? mlflowAt((port) => startRbacMlflow(port, sub('mlflow-rbac'), assertionSecret)) : skipped;
    const idp = mode === 'all' ? await startOidcStandIn(OIDC_USERS) : undefined;
    if (idp) stoppers.push(() => idp.close());
    const oidcP: Promise<AuthedMlflow | string | undefined> = !idp
      ? skipped
      : oidcInstallError
        ? Promise.resolve(`scripts/install-mlflow-oidc.sh failed: ${oidcInstallError}`)
        : begin(
            authedAt((port) => startOidcMlflow(port, sub('mlflow-oidc-auth'), idp)).catch(
              (error: Error) => `mlflow-oidc-auth did not start: ${error.message.split('\n').slice(-3).join(' / ')}`,
            ),
          );
    const filteredPlainP = withMlflow ? mlflowAt((port) => startMlflow({ port, dataDir: sub('filtered-plain'), env: mlflowEnv })) : skipped;
    const filteredBasicP = withMlflow
      ? begin(authedAt((port) => startBasicAuthMlflow(port, sub('filtered-basic-auth'), { defaultPermission: 'NO_PERMISSIONS', users: FILTERED_BASIC_USERS })))
      : skipped;
    const filteredRbacP = withMlflow ? mlflowAt((port) => startRbacMlflow(port, sub('filtered-rbac'), assertionSecret)) : skipped;
    const trivialPort = await freePort();
    const trivialUpstreamP = withOthers
      ? begin(
          startNodeServer('bench/servers/trivial-upstream.ts', [String(trivialPort)], join(dir, 'trivial-upstream.log')).then(
            (server) => (stoppers.push(() => stopProcess(server.process)), server),
          ),
        )
      : skipped;
    await Promise.allSettled(starts);
    const [plain, basic, rbac, oidc, filteredPlain, filteredBasic, filteredRbac] = await Promise.all([
      plainP,
      basicP,
      rbacP,
      oidcP,
      filteredPlainP,
      filteredBasicP,
      filteredRbacP,
    ]);
    await trivialUpstreamP;
    const trivialUrl = `http://127.0.0.1:${trivialPort}`;

    log(
      withOthers
        ? 'starting the portal (custom server x3: MLflow, trivial upstream, trivial upstream with metrics on; next start x2: MLflow and trivial upstream; custom server in mlflow mode x2: rbac and filtered rbac), a bare http-proxy and nginx'
        : 'starting the portal in mlflow mode (custom server x2: rbac and filtered rbac)',
    );
    const portalEnv = (upstream: string, port: number) => ({
      DESCOPE_PROJECT_ID: DEMO_PROJECT_ID,
      DESCOPE_BASE_URL: emulator.url,
      MLFLOW_UPSTREAM_URL: upstream,
      PORT: String(port),
      PORTAL_AUDIT_LOG: join(dir, 'audit.log'),
      NODE_ENV: 'production',
    });
    const rbacEnv = (upstream: string, port: number) => ({ ...portalEnv(upstream, port), PORTAL_AUTHZ: 'mlflow', PORTAL_ASSERTION_SECRET: assertionSecret });
    const [
      portalPort,
      trivialPortalPort,
      metricsPortalPort,
      metricsListenerPort,
      nextPort,
      trivialNextPort,
      barePort,
      nginxPort,
      nginxTrivialPort,
      rbacPortalPort,
      filteredPortalPort,
    ] = await Promise.all(Array.from({ length: 11 }, () => freePort()));
    const trackServer = (promise: Promise<NodeServer>) => promise.then((server) => (stoppers.push(() => stopProcess(server.process)), server));
    const gatewayOnly = (name: string, env: Record<string, string>) => startNodeServer('tools/local-stack/gateway-only.ts', [], join(dir, `${name}.log`), env);
    const rbacServers = withMlflow
      ? [gatewayOnly('portal-rbac', rbacEnv(rbac!.url, rbacPortalPort)), gatewayOnly('portal-filtered-rbac', rbacEnv(filteredRbac!.url, filteredPortalPort))]
      : [];
    const otherServers = withOthers
      ? [
          gatewayOnly('portal', portalEnv(plain?.url ?? trivialUrl, portalPort)),
          gatewayOnly('portal-trivial', portalEnv(trivialUrl, trivialPortalPort)),
          gatewayOnly('portal-trivial-metrics', { ...portalEnv(trivialUrl, metricsPortalPort), PORTAL_METRICS_PORT: String(metricsListenerPort) }),
          startNextStart(nextPort, join(dir, 'next-start.log'), portalEnv(plain?.url ?? trivialUrl, nextPort)),
          startNextStart(trivialNextPort, join(dir, 'next-start-trivial.log'), portalEnv(trivialUrl, trivialNextPort)),
          startNodeServer('bench/servers/bare-proxy.ts', [String(barePort), trivialUrl], join(dir, 'bare-proxy.log')),
        ]
      : [];
    // Settled, not Promise.all: when one fails, the others must be tracked (and stopped) too.
    const servers = await Promise.allSettled([...rbacServers, ...otherServers].map(trackServer));
    const failed = servers.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const started = servers.map((result) => (result as PromiseFulfilledResult<NodeServer>).value);
    const [rbacPortal] = withMlflow ? started.splice(0, 2) : [];
    const [portal, trivialPortal, metricsPortal, next, trivialNext, bareProxy] = started;
    // The metrics-on way must really have its listener up: one scrape before anything is timed.
    if (withOthers) {
      const scrape = await fetch(`http://127.0.0.1:${metricsListenerPort}/metrics`);
      if (!scrape.ok) throw new Error(`the metrics-on portal's listener answered ${scrape.status}`);
    }
    const nginx = withOthers
      ? await startBareNginx([{ port: nginxTrivialPort, upstream: trivialUrl }, ...(plain ? [{ port: nginxPort, upstream: plain.url }] : [])])
      : undefined;
    if (nginx) stoppers.push(() => nginx.stop());

    const sessionOf = async (loginId: string) => {
      const session = await fetch(`${emulator.url}/emulator/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ loginId }),
      });
      return { authorization: `Bearer ${((await session.json()) as { sessionJwt: string }).sessionJwt}` };
    };
    const bearer = await sessionOf('editor@example.com');
    const rbacWay: Way = {
      key: 'rbac',
      label: 'portal → MLflow RBAC',
      target: { base: `http://127.0.0.1:${rbacPortalPort}/mlflow`, headers: bearer },
      pid: rbacPortal?.pid,
    };
    const ways: Way[] =
      !plain || !basic
        ? []
        : !withOthers
          ? [
              { key: 'direct', label: 'direct to MLflow', target: { base: plain.url, headers: {} } },
              { key: 'basic', label: 'MLflow basic-auth', target: { base: basic.mlflow.url, headers: basic.headers } },
              rbacWay,
            ]
          : [
              { key: 'direct', label: 'direct to MLflow', target: { base: plain.url, headers: {} } },
              { key: 'portal', label: 'this portal', target: { base: `http://127.0.0.1:${portalPort}/mlflow`, headers: bearer }, pid: portal.pid },
              { key: 'next', label: 'portal (next start)', target: { base: `http://127.0.0.1:${nextPort}/mlflow`, headers: bearer }, pid: next.pid },
              { key: 'basic', label: 'MLflow basic-auth', target: { base: basic.mlflow.url, headers: basic.headers } },
              rbacWay,
              typeof oidc === 'string' || !oidc
                ? { key: 'oidc', label: 'mlflow-oidc-auth', blocked: oidc ?? 'not started' }
                : { key: 'oidc', label: 'mlflow-oidc-auth', target: { base: oidc.mlflow.url, headers: oidc.headers } },
              { key: 'nginx', label: 'nginx (no auth)', target: { base: `http://127.0.0.1:${nginxPort}`, headers: {} } },
            ];
    const trivialPath = '/api/2.0/mlflow/experiments/get?experiment_id=0';
    const trivial: BenchStack['trivial'] = !withOthers
      ? []
      : [
          { key: 'direct', label: 'direct', target: { base: `${trivialUrl}${trivialPath}`, headers: bearer } },
          { key: 'bare', label: 'bare http-proxy', target: { base: `http://127.0.0.1:${barePort}${trivialPath}`, headers: bearer }, pid: bareProxy.pid },
          { key: 'nginx', label: 'nginx', target: { base: `http://127.0.0.1:${nginxTrivialPort}${trivialPath}`, headers: bearer } },
          {
            key: 'portal',
            label: 'this portal',
            target: { base: `http://127.0.0.1:${trivialPortalPort}/mlflow${trivialPath}`, headers: bearer },
            pid: trivialPortal.pid,
          },
          {
            key: 'portal-metrics',
            label: 'this portal, metrics on',
            target: { base: `http://127.0.0.1:${metricsPortalPort}/mlflow${trivialPath}`, headers: bearer },
            pid: metricsPortal.pid,
          },
          {
            key: 'next',
            label: 'portal (next start)',
            target: { base: `http://127.0.0.1:${trivialNextPort}/mlflow${trivialPath}`, headers: bearer },
            pid: trivialNext.pid,
          },
        ];
    const filtered =
      !filteredPlain || !filteredBasic || !filteredRbac
        ? []
        : await filteredServers({
            plain: filteredPlain.url,
            basic: filteredBasic,
            portal: `http://127.0.0.1:${filteredPortalPort}/mlflow`,
            sessionOf,
          });
    return { ways, trivial, filtered, nginx, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
