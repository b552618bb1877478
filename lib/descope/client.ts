import DescopeClient from '@descope/node-sdk';
import type { Config } from '@/lib/config';
import { CircuitBreaker } from '@/lib/resilience/circuit-breaker';
import { createResilientFetch } from '@/lib/descope/resilient-fetch';
import type { DescopeMeter } from '@/lib/observability/metrics';

/** Descope's API host for a project: 32-character ids carry a region (as the SDK computes it). */
export function descopeBaseUrl(projectId: string, configured: string | undefined): string {
  if (configured) return configured;
  const region = projectId.length === 32 ? projectId.slice(1, 5) : '';
  return `https://api.${region ? `${region}.` : ''}descope.com`;
}

export type DescopeSdk = ReturnType<typeof DescopeClient>;

export interface DescopeClients {
  /** One breaker for every Descope call of this process: what /auth/health reports is what the gateway uses. */
  breaker: CircuitBreaker;
  fetch: typeof fetch;
  baseUrl: string;
  /** Auth calls: refresh, logout, me, access-key exchange. */
  auth: DescopeSdk;
  /** Management calls; undefined without DESCOPE_MANAGEMENT_KEY. */
  management: DescopeSdk | undefined;
}

export function createDescopeClients(config: Pick<Config, 'projectId' | 'descopeBaseUrl' | 'managementKey'>, meter?: DescopeMeter): DescopeClients {
  const breaker = new CircuitBreaker(5, 10_000);
  const resilientFetch = createResilientFetch({ timeoutMs: 3_000, retries: 2, breaker, meter });
  const baseUrl = descopeBaseUrl(config.projectId, config.descopeBaseUrl);
  const build = (managementKey: string | undefined) =>
    DescopeClient({
      projectId: config.projectId,
      baseUrl,
      managementKey,
      fetch: resilientFetch,
      // The SDK logs token contents on failure; our own logs say what matters, redacted.
      logger: { log() {}, debug() {}, warn() {}, error() {} },
    });
  return { breaker, fetch: resilientFetch, baseUrl, auth: build(undefined), management: config.managementKey ? build(config.managementKey) : undefined };
}
