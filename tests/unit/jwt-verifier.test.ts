import { describe, expect, it } from 'vitest';
import { base64url, generateKeyPair, SignJWT } from 'jose';
import { createHmac } from 'node:crypto';
import { InvalidTokenError, issuerMatches, JwtVerifier, looksLikeJwt } from '@/lib/auth/jwt';
import { KeyStore } from '@/lib/auth/jwks';
import { PROJECT_ID, sessionClaims, testKeys } from '@/tests/support/signing';

async function setup() {
  const keys = await testKeys();
  return { ...keys, verifier: new JwtVerifier(keys.store, PROJECT_ID) };
}

describe('JwtVerifier', () => {
  it('accepts a genuine session token and returns its claims', async () => {
    const { verifier, sign } = await setup();
    const claims = await verifier.verify(await sign(sessionClaims()), 'session');
    expect(claims.sub).toBe('U2user');
    expect(claims.roles).toEqual(['mlflow-reader']);
  });

  it('rejects a refresh token presented as a session token, and the reverse', async () => {
    const { verifier, sign } = await setup();
    await expect(verifier.verify(await sign(sessionClaims({ drn: 'DSR' })), 'session')).rejects.toThrow(InvalidTokenError);
    await expect(verifier.verify(await sign(sessionClaims()), 'refresh')).rejects.toThrow(InvalidTokenError);
  });

  it('rejects expired, not-yet-valid, exp-less and wrong-project tokens', async () => {
    const { verifier, sign } = await setup();
    const now = Math.floor(Date.now() / 1000);
    await expect(verifier.verify(await sign(sessionClaims({ exp: now - 60 })), 'session')).rejects.toThrow(/exp/);
    await expect(verifier.verify(await sign(sessionClaims({ nbf: now + 600 })), 'session')).rejects.toThrow(/nbf/);
    await expect(verifier.verify(await sign(sessionClaims({ exp: undefined })), 'session')).rejects.toThrow(/exp/);
    await expect(verifier.verify(await sign(sessionClaims({ iss: 'https://api.descope.com/P2other' })), 'session')).rejects.toThrow(/project/);
  });

  it('rejects a tampered payload', async () => {
    const { verifier, sign } = await setup();
    const [header, , signature] = (await sign(sessionClaims())).split('.');
    const forged = base64url.encode(JSON.stringify(sessionClaims({ roles: ['admin'] })));
    await expect(verifier.verify(`${header}.${forged}.${signature}`, 'session')).rejects.toThrow(InvalidTokenError);
  });

  it('rejects a token signed by another key under a known kid, and unknown kids', async () => {
    const { verifier } = await setup();
    const other = await generateKeyPair('RS256');
    const forged = await new SignJWT(sessionClaims()).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(other.privateKey);
    await expect(verifier.verify(forged, 'session')).rejects.toThrow(InvalidTokenError);
    const unknown = await new SignJWT(sessionClaims()).setProtectedHeader({ alg: 'RS256', kid: 'nope' }).sign(other.privateKey);
    await expect(verifier.verify(unknown, 'session')).rejects.toThrow(/unknown key/);
  });

  it('rejects alg:none and HS256 signed with the public key', async () => {
    const { verifier, jwk } = await setup();
    const body = base64url.encode(JSON.stringify(sessionClaims()));
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', kid: 'test-key' }))}.${body}.`;
    await expect(verifier.verify(none, 'session')).rejects.toThrow(InvalidTokenError);
    const header = base64url.encode(JSON.stringify({ alg: 'HS256', kid: 'test-key' }));
    const mac = createHmac('sha256', JSON.stringify(jwk)).update(`${header}.${body}`).digest('base64url');
    await expect(verifier.verify(`${header}.${body}.${mac}`, 'session')).rejects.toThrow(InvalidTokenError);
  });

  it('stops accepting a cached token once Descope no longer publishes its key', async () => {
    const keys = await testKeys('old-key');
    const next = await testKeys('new-key');
    let published = [keys.jwk];
    const store = new KeyStore(async () => ({ keys: published }), 0);
    const verifier = new JwtVerifier(store, PROJECT_ID);
    const token = await keys.sign(sessionClaims());
    await verifier.verify(token, 'session');
    expect(verifier.peek(token, 'session')).toBeDefined();

    published = [next.jwk];
    await store.refresh();
    expect(verifier.peek(token, 'session')).toBeUndefined();
    await expect(verifier.verify(token, 'session')).rejects.toThrow('token signed with an unknown key');
  });

  it('verifies a repeated token from its cache without fetching keys again', async () => {
    const { verifier, sign, fetches } = await setup();
    const token = await sign(sessionClaims());
    await verifier.verify(token, 'session');
    const before = fetches();
    for (let i = 0; i < 5; i += 1) await verifier.verify(token, 'session');
    expect(fetches()).toBe(before);
  });
});

describe('issuerMatches / looksLikeJwt', () => {
  it('accepts the project id or a URL ending in it', () => {
    expect(issuerMatches(PROJECT_ID, PROJECT_ID)).toBe(true);
    expect(issuerMatches(`https://api.descope.com/${PROJECT_ID}`, PROJECT_ID)).toBe(true);
    expect(issuerMatches(`https://api.descope.com/v1/apps/${PROJECT_ID}`, PROJECT_ID)).toBe(true);
    expect(issuerMatches('https://api.descope.com/P2other', PROJECT_ID)).toBe(false);
  });
  it('tells JWTs from access keys', async () => {
    const { sign } = await setup();
    expect(looksLikeJwt(await sign(sessionClaims()))).toBe(true);
    expect(looksLikeJwt('K2abcdef:secretsecret')).toBe(false);
  });
});

describe('JwtVerifier cache', () => {
  it('verifies each distinct token once: repeats need no key lookup and no RSA check', async () => {
    const { verifier, sign, store } = await setup();
    let lookups = 0;
    const keyFor = store.keyFor.bind(store);
    store.keyFor = (kid) => ((lookups += 1), keyFor(kid));
    const [first, second] = [await sign(sessionClaims()), await sign(sessionClaims({ sub: 'U2other' }))];
    for (let i = 0; i < 5; i += 1) {
      await verifier.verify(first, 'session');
      await verifier.verify(second, 'session');
    }
    expect(lookups).toBe(2);
  });

  it('forgets a token when it expires: after exp (and the 5 s leeway) it is refused again', async () => {
    const { store, sign } = await setup();
    let now = Date.now();
    const verifier = new JwtVerifier(store, PROJECT_ID, { now: () => now });
    const exp = Math.floor(now / 1000) + 60;
    const token = await sign(sessionClaims({ exp }));
    await verifier.verify(token, 'session');
    expect(verifier.peek(token, 'session')?.sub).toBe('U2user');
    now = exp * 1000 + 6_000;
    expect(verifier.peek(token, 'session')).toBeUndefined();
    await expect(verifier.verify(token, 'session')).rejects.toThrow(/exp/);
  });

  it('keeps token kinds apart: a cached session token is not a cached refresh token', async () => {
    const { verifier, sign } = await setup();
    const token = await sign(sessionClaims());
    await verifier.verify(token, 'session');
    expect(verifier.peek(token, 'refresh')).toBeUndefined();
    await expect(verifier.verify(token, 'refresh')).rejects.toThrow(InvalidTokenError);
  });
});
