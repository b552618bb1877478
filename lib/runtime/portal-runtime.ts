import { parseConfig, type Config } from '@/lib/config';
import type { KeyStore } from '@/lib/auth/jwks';
import type { JwtVerifier } from '@/lib/auth/jwt';
import type { SessionRefresher } from '@/lib/auth/refresh-session';
import type { AccessKeyExchanger } from '@/lib/auth/access-keys';
import { RoleChanges } from '@/lib/auth/role-changes';
import { createAuthCore } from '@/lib/runtime/auth-core';
import { decide, type Decision, type DecisionRequest, type Requirement } from '@/lib/auth/decide';
import { establishSession, type Established } from '@/lib/auth/establish-session';
import { createDescopeClients, type DescopeClients } from '@/lib/descope/client';
import { createManagement, type Management } from '@/lib/descope/management';
import { createLogger, type Logger } from '@/lib/observability/log';
import { createAuditSink, type AuditSink } from '@/lib/observability/audit';
import { createPortalMetrics, type PortalMetrics } from '@/lib/observability/metrics';
import { recordDecision } from '@/lib/observability/decision-metrics';
import { startMetricsListener, type MetricsListener } from '@/lib/server/metrics-server';
import { checkHealth, type Health, type UpstreamMemo } from '@/lib/health';
import { createAssertionSigner } from '@/lib/gateway/assertion';
import { createWorkspaceProvisioner, type WorkspaceListing } from '@/lib/mlflow/workspace-provisioner';
import { probeHeaders, probeMlflowPlugin } from '@/lib/mlflow/plugin-probe';
import type { Identity } from '@/lib/auth/identity';
import { readMlflowGrants, type GrantsResult } from '@/lib/mlflow/grants';
import { planMlflowCall, type GatewayPlan, type InboundCall } from '@/lib/gateway/plan';
import { createRouteHandlerTransport } from '@/lib/gateway/transports/route-handler';

/**
 * Everything the portal holds for a process, built once in one place (the composition root):
 * config, token verifier and caches, Descope clients and their circuit breaker, the management
 * API, the audit and log sinks, the metrics registry. server.ts builds it at start; under
 * `next start` or on Vercel the first request builds it. Next's bundles and server.ts load
 * separate copies of lib/, so the one instance lives on globalThis, and what crosses between
 * copies are its methods and plain data: errors are thrown and caught inside the copy that made
 * the runtime, so `instanceof` holds.
 */
export interface PortalRuntime {
  readonly config: Config;
  /** server.ts serves /mlflow/*: the route handler must then never forward anything itself. */
  readonly customServer: boolean;
  readonly log: Logger;
  readonly audit: AuditSink;
  readonly sinks: { log: Logger; audit: AuditSink; metrics: PortalMetrics };
  /** This runtime's metrics and their Registry (never prom-client's global one). */
  readonly metrics: PortalMetrics;
  readonly keys: KeyStore;
  readonly verifier: JwtVerifier;
  readonly refresher: SessionRefresher;
  readonly accessKeys: AccessKeyExchanger;
  readonly descope: DescopeClients;
  /** Undefined without DESCOPE_MANAGEMENT_KEY. */
  readonly management: Management | undefined;

  decide(request: DecisionRequest, requirement: Requirement): Promise<Decision>;
  establishSession(sessionJwt: string, refreshJwt: string, secure: boolean): Promise<Established>;
  /** Revokes the refresh token at Descope and forgets, on this instance, everything it produced. */
  signOut(tokens: { sessionJwt?: string; refreshJwt?: string }): Promise<{ revoked: boolean }>;
  /**
   * After a role or status change: this instance re-reads the user's roles at their next request,
   * refreshing (through Descope) any session issued before now.
   */
  forgetUser(userId: string): void;
  /** After a key was revoked: this instance stops honouring its cached exchange at once. */
  forgetKey(keyId: string): void;
  health(options?: { probeDescope?: boolean }): Promise<Health>;
  /** PORTAL_AUTHZ=mlflow: a user's grants and roles as MLflow holds them, read as `viewer`; else undefined. */
  mlflowGrants(username: string, viewer: Identity): Promise<GrantsResult> | undefined;
  /** PORTAL_WORKSPACES=tenants: the workspaces MLflow holds and their owning tenants; else undefined. */
  mlflowWorkspaces(): Promise<WorkspaceListing> | undefined;
  planMlflowCall(call: InboundCall): Promise<GatewayPlan>;
  /** /mlflow/* for `next start` and Vercel (app/mlflow/[[...path]]/route.ts). */
  handleMlflowRoute(request: Request): Promise<Response>;
  /**
   * Starts the metrics listener when PORTAL_METRICS_PORT is set (lib/runtime/boot.ts does, for
   * either server) and resolves to its /metrics URL; undefined when metrics are not exposed.
   */
  listenForMetrics(): Promise<string | undefined>;
  close(): void;
}

export interface RuntimeOptions {
  customServer?: boolean;
  log?: Logger;
}

export function createPortalRuntime(config: Config, options: RuntimeOptions = {}): PortalRuntime {
  const log = options.log ?? createLogger();
  const audit = createAuditSink(config.auditLog, log);
  const metrics = createPortalMetrics();
  const descope = createDescopeClients(config, metrics.descope);
  metrics.watchBreaker(descope.breaker);
  const { keys, verifier, refresher, accessKeys } = createAuthCore(config, descope, metrics);
  const managementSdk = descope.management?.management;
  const roleChanges = new RoleChanges();
  const upstreamMemo: UpstreamMemo = {};
  const auth = { config, verifier, refresher, accessKeys, roleChanges };
  const assertions = config.assertionSecret && config.authz === 'mlflow' ? createAssertionSigner(config.assertionSecret) : undefined;
  const provisioner = assertions && config.workspaces ? createWorkspaceProvisioner({ upstreamUrl: config.upstreamUrl, signer: assertions }) : undefined;
  let routeHandler: ReturnType<typeof createRouteHandlerTransport> | undefined;
  let metricsListener: Promise<MetricsListener> | undefined;

  const runtime: PortalRuntime = {
    config,
    customServer: options.customServer ?? false,
    log,
    audit,
    sinks: { log, audit, metrics },
    metrics,
    keys,
    verifier,
    refresher,
    accessKeys,
    descope,
    management: managementSdk ? createManagement(managementSdk, log) : undefined,
    // Every gate decides through here, so every decision is counted once, whoever asked.
    async decide(request, requirement) {
      const decision = await decide(request, requirement, auth);
      recordDecision(metrics, decision);
      return decision;
    },
    establishSession: (sessionJwt, refreshJwt, secure) => establishSession(sessionJwt, refreshJwt, secure, auth),
    async signOut({ sessionJwt, refreshJwt }) {
      let revoked = false;
      if (refreshJwt) {
        try {
          revoked = (await descope.auth.logout(refreshJwt)).ok;
        } catch {
          revoked = false;
        }
        if (!revoked) log('warn', 'logout.revoke_failed', { reason: 'Descope did not confirm the refresh token revocation' });
        const produced = refresher.forget(refreshJwt);
        if (produced) await verifier.revoke(produced, 'session');
        await verifier.revoke(refreshJwt, 'refresh');
      }
      if (sessionJwt) await verifier.revoke(sessionJwt, 'session');
      return { revoked };
    },
    forgetUser(userId) {
      roleChanges.record(userId);
      refresher.forgetUser(userId);
      accessKeys.forgetOwner(userId);
    },
    forgetKey: (keyId) => accessKeys.forgetKey(keyId),
    health: (healthOptions) => {
      // With the plugin, MLflow answers the probes only with the portal's assertion.
      const probePlugin = assertions ? () => probeMlflowPlugin(config.upstreamUrl, assertions) : undefined;
      const upstreamHeaders = assertions ? () => probeHeaders(assertions) : undefined;
      return checkHealth({ config, keys, breaker: descope.breaker, probePlugin, upstreamHeaders }, healthOptions, upstreamMemo);
    },
    mlflowGrants: (username, viewer) => (assertions ? readMlflowGrants(username, viewer, { upstreamUrl: config.upstreamUrl, signer: assertions }) : undefined),
    mlflowWorkspaces: () => provisioner?.list(),
    planMlflowCall: (call) => planMlflowCall(call, { config, decide: runtime.decide, assertions, workspaces: provisioner }),
    handleMlflowRoute(request) {
      routeHandler ??= createRouteHandlerTransport(runtime);
      return routeHandler.handle(request);
    },
    async listenForMetrics() {
      if (!config.metrics) return undefined;
      if (!metricsListener) {
        metrics.collectProcessMetrics();
        metricsListener = startMetricsListener(metrics.registry, config.metrics);
        metricsListener.then(
          ({ url }) => log('info', 'metrics.listening', { url }),
          () => (metricsListener = undefined),
        );
      }
      return (await metricsListener).url;
    },
    close() {
      routeHandler?.close();
      void metricsListener?.then(
        (listener) => listener.close(),
        () => undefined,
      );
    },
  };
  return runtime;
}

const HOLDER = Symbol.for('mlflow-descope-portal.runtime');
type Holder = { [HOLDER]?: PortalRuntime };

/**
 * The process's runtime: the one installed (server.ts, tests), else built now from the
 * environment. This is the only place the portal reads process.env for its configuration.
 * Throws ConfigError on bad configuration.
 */
export function portalRuntime(): PortalRuntime {
  const holder = globalThis as Holder;
  holder[HOLDER] ??= createPortalRuntime(parseConfig(process.env));
  return holder[HOLDER];
}

/** The runtime installed for this process, if any (see lib/runtime/boot.ts). */
export function installedPortalRuntime(): PortalRuntime | undefined {
  return (globalThis as Holder)[HOLDER];
}

/** Makes `runtime` the process's runtime (server.ts at start, test harnesses). */
export function installPortalRuntime(runtime: PortalRuntime): PortalRuntime {
  (globalThis as Holder)[HOLDER] = runtime;
  return runtime;
}
