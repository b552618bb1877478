import { getConfig } from '@/lib/config';
import { KeyStore } from '@/lib/auth/jwks';
import { JwtVerifier } from '@/lib/auth/jwt';
import { descopeAuth, descopeBaseUrl, descopeFetch, descopeManagement } from '@/lib/descope/client';
import type { AuthDeps } from '@/lib/auth/authenticate';
import { SessionRefresher } from '@/lib/auth/refresh-session';
import { AccessKeyExchanger } from '@/lib/auth/access-keys';

/** Process-wide auth singletons, built on first use from the parsed config. */
let keyStore: KeyStore | undefined;
let verifier: JwtVerifier | undefined;

export function getKeyStore(): KeyStore {
  if (!keyStore) {
    const { projectId, descopeBaseUrl: configured } = getConfig();
    const url = `${descopeBaseUrl(projectId, configured)}/v2/keys/${encodeURIComponent(projectId)}`;
    keyStore = new KeyStore(async () => {
      const response = await descopeFetch(url);
      if (!response.ok) throw new Error(`JWKS request answered ${response.status}`);
      return response.json();
    });
  }
  return keyStore;
}

export function getVerifier(): JwtVerifier {
  verifier ??= new JwtVerifier(getKeyStore(), getConfig().projectId);
  return verifier;
}

let deps: AuthDeps | undefined;

/** The production wiring of authenticate(): our verifier, the SDK's refresh, exchange and lookups. */
export function getAuthDeps(): AuthDeps {
  if (!deps) {
    const config = getConfig();
    const verifier = getVerifier();
    const auth = descopeAuth();
    const management = descopeManagement();
    deps = {
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
  return deps;
}
