import type { Config } from '@/lib/config';
import { KeyStore } from '@/lib/auth/jwks';
import { JwtVerifier } from '@/lib/auth/jwt';
import { SessionRefresher } from '@/lib/auth/refresh-session';
import { AccessKeyExchanger } from '@/lib/auth/access-keys';
import type { DescopeClients } from '@/lib/descope/client';
import type { PortalMetrics } from '@/lib/observability/metrics';

/**
 * The runtime's token verifier and its caches (JWKS, verified tokens, refresh memo, access-key
 * exchanges), each calling Descope through the runtime's one resilient client and counting its
 * hits and misses in the runtime's metrics.
 */
export function createAuthCore(config: Config, descope: DescopeClients, { caches }: Pick<PortalMetrics, 'caches'>) {
  const fetchJwks = async () => {
    const response = await descope.fetch(`${descope.baseUrl}/v2/keys/${encodeURIComponent(config.projectId)}`);
    if (!response.ok) throw new Error(`JWKS request answered ${response.status}`);
    return response.json();
  };
  const keys = new KeyStore(fetchJwks, 30_000, Date.now, caches.jwks);
  const verifier = new JwtVerifier(keys, config.projectId, {
    audiences: config.audiences,
    meters: { session: caches['session-token'], refresh: caches['refresh-token'] },
  });
  const refresher = new SessionRefresher(verifier, (refreshJwt) => descope.auth.refresh(refreshJwt), Date.now, caches['session-refresh']);
  const management = descope.management?.management;
  const owners = {
    exchange: (accessKey: string) => descope.auth.accessKey.exchange(accessKey),
    loadKey: management && ((keyId: string) => management.accessKey.load(keyId)),
    loadUser: management && ((userId: string) => management.user.loadByUserId(userId)),
  };
  const accessKeys = new AccessKeyExchanger(verifier, owners, Date.now, caches['access-key']);
  return { keys, verifier, refresher, accessKeys };
}
