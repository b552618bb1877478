import { SignJWT } from 'jose';
import type { Identity } from '@/lib/auth/identity';

/** The contract with MLflow's plugin (mlflow-plugin/README.md): who the caller is, signed by the portal. */
export const ASSERTION_HEADER = 'x-descope-assertion';
export const ASSERTION_ISSUER = 'mlflow-descope-portal';
export const ASSERTION_AUDIENCE = 'mlflow';
/** MLflow's plugin refuses assertions that live longer than this. */
export const ASSERTION_LIFETIME_SECONDS = 60;
// An assertion is reused while it has at least this long to live, so one signature serves an
// identity for ~45 s of requests and none arrives with less than the plugin's leeway to spare.
const REUSE_MARGIN_SECONDS = 15;

export interface AssertionSigner {
  /** The assertion for this identity: cached per identity, signed again as it nears expiry. */
  assertionFor(identity: Identity): Promise<string>;
}

/**
 * Signs X-Descope-Assertion with HS256. Identities are frozen and memoised per verified token
 * (lib/auth/identity-from-claims.ts), so a WeakMap keyed by the identity object caches exactly as
 * long as the token does: the hot path pays one map lookup, not an HMAC.
 */
export function createAssertionSigner(secret: Uint8Array, now: () => number = Date.now): AssertionSigner {
  const signed = new WeakMap<Identity, { jwt: string; exp: number }>();
  return {
    async assertionFor(identity) {
      const seconds = Math.floor(now() / 1000);
      const hit = signed.get(identity);
      if (hit && hit.exp - seconds >= REUSE_MARGIN_SECONDS) return hit.jwt;
      const exp = seconds + ASSERTION_LIFETIME_SECONDS;
      const jwt = await new SignJWT({
        username: identity.username,
        email: identity.email,
        name: identity.name,
        admin: identity.isAdmin,
        roles: [...identity.roles],
        tenants: Object.fromEntries(Object.entries(identity.tenantRoles).map(([tenant, roles]) => [tenant, [...roles]])),
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(ASSERTION_ISSUER)
        .setAudience(ASSERTION_AUDIENCE)
        .setSubject(identity.userId)
        .setIssuedAt(seconds)
        .setExpirationTime(exp)
        .sign(secret);
      signed.set(identity, { jwt, exp });
      return jwt;
    },
  };
}
