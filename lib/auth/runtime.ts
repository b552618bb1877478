import { getConfig } from '@/lib/config';
import { KeyStore } from '@/lib/auth/jwks';
import { JwtVerifier } from '@/lib/auth/jwt';
import { descopeAuth, descopeBaseUrl, descopeFetch, descopeManagement } from '@/lib/descope/client';
import type { AuthDeps } from '@/lib/auth/authenticate';
import { SessionRefresher } from '@/lib/auth/refresh-session';
import { AccessKeyExchanger } from '@/lib/auth/access-keys';

interface AuthSingletons {
  keyStore?: KeyStore;
  verifier?: JwtVerifier;
  deps?: AuthDeps;
}

/**
 * Process-wide auth singletons, built on first use from the parsed config. They hang off
 * globalThis because server.ts (loaded by tsx) and Next's compiled bundle each get their own copy
 * of this module in one process: the gateway and a server action must share one set of caches,
 * or revoking a key in /profile would leave the gateway honouring its cached exchange.
 */
const shared = ((globalThis as { [key: symbol]: AuthSingletons })[Symbol.for('mlflow-descope-portal.auth')] ??= {});

export function getKeyStore(): KeyStore {
  if (!shared.keyStore) {
    const { projectId, descopeBaseUrl: configured } = getConfig();
    const url = `${descopeBaseUrl(projectId, configured)}/v2/keys/${encodeURIComponent(projectId)}`;
    shared.keyStore = new KeyStore(async () => {
      const response = await descopeFetch(url);
      if (!response.ok) throw new Error(`JWKS request answered ${response.status}`);
      return response.json();
    });
  }
  return shared.keyStore;
}

export function getVerifier(): JwtVerifier {
  shared.verifier ??= new JwtVerifier(getKeyStore(), getConfig().projectId);
  return shared.verifier;
}

/** The production wiring of authenticate(): our verifier, the SDK's refresh, exchange and lookups. */
export function getAuthDeps(): AuthDeps {
  if (!shared.deps) {
    const config = getConfig();
    const verifier = getVerifier();
    const auth = descopeAuth();
    const management = descopeManagement();
    shared.deps = {
      config,
      verifier,
      refresher: new SessionRefresher(verifier, (refreshJwt) => auth.refresh(refreshJwt)),
      accessKeys: new AccessKeyExchanger(verifier, {
        exchange: (accessKey) => auth.accessKey.exchange(accessKey),
        loadKey: management && ((keyId) => management.management.accessKey.load(keyId)),
        loadUser: management && ((userId) => management.management.user.loadByUserId(userId)),
      }),
    };
  }
  return shared.deps;
}

/**
 * After an admin changed a user's roles: drop this instance's memoised refreshes and key
 * exchanges for them, so their next refresh or key use reads the new roles from Descope.
 */
export function forgetUserSessions(userId: string): void {
  const { refresher, accessKeys } = getAuthDeps();
  refresher.forgetUser(userId);
  accessKeys.forgetOwner(userId);
}
