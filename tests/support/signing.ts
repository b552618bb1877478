import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { KeyStore } from '@/lib/auth/jwks';

export const PROJECT_ID = 'P2testproject000000000000000';

/** A signing key of our own and a KeyStore that serves it: a fake Descope JWKS for unit tests. */
export async function testKeys(kid = 'test-key') {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  let fetches = 0;
  const store = new KeyStore(async () => {
    fetches += 1;
    return { keys: [jwk] };
  }, 0);
  const sign = (claims: JWTPayload, header: Record<string, unknown> = {}) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, ...header }).sign(privateKey);
  return { store, sign, privateKey, jwk, fetches: () => fetches };
}

export function sessionClaims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return { sub: 'U2user', iss: `https://api.descope.com/${PROJECT_ID}`, iat: now, exp: now + 600, drn: 'DS', roles: ['mlflow-reader'], ...overrides };
}
