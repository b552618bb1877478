import DescopeClient from '@descope/node-sdk';
import { getConfig } from '@/lib/config';
import { CircuitBreaker } from '@/lib/resilience/circuit-breaker';
import { createResilientFetch } from '@/lib/descope/resilient-fetch';

/** Descope's API host for a project: 32-character ids carry a region (as the SDK computes it). */
export function descopeBaseUrl(projectId: string, configured: string | undefined): string {
  if (configured) return configured;
  const region = projectId.length === 32 ? projectId.slice(1, 5) : '';
  return `https://api.${region ? `${region}.` : ''}descope.com`;
}

/** One breaker for every Descope call of this process, so /auth/health can report it. */
export const descopeBreaker = new CircuitBreaker(5, 10_000);
export const descopeFetch = createResilientFetch({ timeoutMs: 3_000, retries: 2, breaker: descopeBreaker });

type Sdk = ReturnType<typeof DescopeClient>;
let authClient: Sdk | undefined;
let managementClient: Sdk | undefined;

function build(managementKey: string | undefined): Sdk {
  const config = getConfig();
  return DescopeClient({
    projectId: config.projectId,
    baseUrl: descopeBaseUrl(config.projectId, config.descopeBaseUrl),
    managementKey,
    fetch: descopeFetch,
    // The SDK logs token contents on failure; our own logs say what matters, redacted.
    logger: { log() {}, debug() {}, warn() {}, error() {} },
  });
}

/** Auth calls (refresh, logout, me, access-key exchange); built once per process. */
export function descopeAuth(): Sdk {
  authClient ??= build(undefined);
  return authClient;
}

/** Management calls; undefined when no DESCOPE_MANAGEMENT_KEY is configured. */
export function descopeManagement(): Sdk | undefined {
  const key = getConfig().managementKey;
  if (!key) return undefined;
  managementClient ??= build(key);
  return managementClient;
}
