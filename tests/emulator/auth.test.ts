import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { bearer, nowSeconds, postJson, PROJECT_ID, signIn, useEmulator, type Sdk } from './support';

const ctx = useEmulator();

describe('session tokens', () => {
  it('are RS256 JWTs with the Descope claim layout that the SDK validates', async () => {
    const { sessionJwt, refreshJwt } = await signIn(ctx.emulator, 'editor@example.com');
    const info = await ctx.sdk.validateSession(sessionJwt);
    expect(ctx.sdk.validateRoles(info, ['mlflow-editor'])).toBe(true);
    expect(ctx.sdk.validateRoles(info, ['admin'])).toBe(false);
    expect(decodeProtectedHeader(sessionJwt)).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: expect.any(String) });
    const claims = decodeJwt(sessionJwt);
    expect(claims).toMatchObject({ iss: `${ctx.emulator.url}/${PROJECT_ID}`, drn: 'DS', amr: ['emulator'], email: 'editor@example.com', permissions: [] });
    expect(claims.exp! - claims.iat!).toBe(600);
    expect(typeof claims.jti).toBe('string');
    expect(decodeJwt(refreshJwt)).toMatchObject({ drn: 'DSR', sub: claims.sub });
  });

  it('expose tenant roles under tenants, not as project roles', async () => {
    const { sessionJwt } = await signIn(ctx.emulator, 'tenant@example.com');
    const info = await ctx.sdk.validateSession(sessionJwt);
    expect(ctx.sdk.validateTenantRoles(info, 'T-acme', ['mlflow-editor'])).toBe(true);
    expect(ctx.sdk.validateRoles(info, ['mlflow-editor'])).toBe(false);
    expect(info.token.tenants).toEqual({ 'T-acme': { roles: ['mlflow-editor'], permissions: [] } });
  });

  it('validate with the node-sdk 2.8.0 that @descope/nextjs-sdk pins', async () => {
    const nested = createRequire(resolve('node_modules/@descope/nextjs-sdk/package.json'));
    const packageDir = resolve(dirname(nested.resolve('@descope/node-sdk')), '../..');
    expect(JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))).toMatchObject({ name: '@descope/node-sdk', version: '2.8.0' });
    const LegacyClient = nested('@descope/node-sdk') as (args: { projectId: string; baseUrl: string }) => Sdk;
    const legacy = LegacyClient({ projectId: PROJECT_ID, baseUrl: ctx.emulator.url });
    const { sessionJwt } = await signIn(ctx.emulator, 'reader@example.com');
    expect((await legacy.validateSession(sessionJwt)).token.roles).toEqual(['mlflow-reader']);
  });
});

describe('refresh', () => {
  it('returns a new valid session with the same refresh token and cookie fields', async () => {
    const login = await signIn(ctx.emulator, 'reader@example.com');
    const refreshed = await ctx.sdk.refreshSession(login.refreshJwt);
    expect(refreshed.jwt).not.toBe(login.sessionJwt);
    expect(refreshed.refreshJwt).toBe(login.refreshJwt);
    expect((await ctx.sdk.validateSession(refreshed.jwt)).token.sub).toBe(login.user.userId);

    const raw = (await (await postJson(ctx.emulator, '/v1/auth/refresh', {}, bearer(login.refreshJwt))).json()) as Record<string, unknown>;
    expect(raw).toMatchObject({
      cookiePath: '/',
      cookieDomain: '',
      firstSeen: false,
      refreshJwt: login.refreshJwt,
      user: { loginIds: ['reader@example.com'] },
    });
    expect(raw.cookieExpiration).toBe(decodeJwt(login.refreshJwt).exp);
    expect(raw.cookieMaxAge).toBeGreaterThan(29 * 24 * 3600);
    expect(raw.sessionExpiration).toBe(decodeJwt(raw.sessionJwt as string).exp);
  });

  it("carries the user's current roles after an admin changed them", async () => {
    const login = await signIn(ctx.emulator, 'reader@example.com');
    expect((await ctx.sdk.management.user.addRoles('reader@example.com', ['mlflow-editor'])).ok).toBe(true);
    const refreshed = await ctx.sdk.refreshSession(login.refreshJwt);
    expect(refreshed.token.roles).toEqual(['mlflow-reader', 'mlflow-editor']);
  });

  it('rejects session tokens, expired or foreign refresh tokens and other projects with 401', async () => {
    const login = await signIn(ctx.emulator, 'reader@example.com');
    const expired = await postJson(ctx.emulator, '/emulator/sign', { claims: { ...decodeJwt(login.refreshJwt), exp: nowSeconds() - 60 } });
    const { privateKey } = await generateKeyPair('RS256');
    const kid = decodeProtectedHeader(login.refreshJwt).kid!;
    const foreign = await new SignJWT(decodeJwt(login.refreshJwt)).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);
    const attempts = [
      bearer(login.sessionJwt),
      bearer(((await expired.json()) as { jwt: string }).jwt),
      bearer(foreign),
      { authorization: `Bearer P2otherproject0000000000000:${login.refreshJwt}` },
      {},
    ];
    for (const headers of attempts) {
      const response = await postJson(ctx.emulator, '/v1/auth/refresh', {}, headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ errorCode: expect.any(String), errorDescription: 'Unauthorized' });
    }
  });

  it('follows the session lifetime set through /emulator/config', async () => {
    await postJson(ctx.emulator, '/emulator/config', { sessionTtlSeconds: 5 });
    const { sessionJwt } = await signIn(ctx.emulator, 'reader@example.com');
    const claims = decodeJwt(sessionJwt);
    expect(claims.exp! - claims.iat!).toBe(5);
  });
});

describe('try-refresh', () => {
  it('refreshes a valid token and answers 200 {} when there is nothing to refresh', async () => {
    const login = await signIn(ctx.emulator, 'reader@example.com');
    const valid = await postJson(ctx.emulator, '/v1/auth/try-refresh', {}, bearer(login.refreshJwt));
    expect(valid.status).toBe(200);
    expect(((await valid.json()) as { sessionJwt?: string }).sessionJwt).toBeTruthy();
    for (const headers of [{ authorization: `Bearer ${PROJECT_ID}` }, bearer('not-a-jwt')]) {
      const nothing = await postJson(ctx.emulator, '/v1/auth/try-refresh', {}, headers);
      expect(nothing.status).toBe(200);
      expect(await nothing.json()).toEqual({});
    }
  });
});

describe('logout and me', () => {
  it('me returns the user at the top level', async () => {
    const login = await signIn(ctx.emulator, 'tenant@example.com');
    const me = await ctx.sdk.me(login.refreshJwt);
    expect(me.ok).toBe(true);
    expect(me.data).toMatchObject({
      userId: login.user.userId,
      loginIds: ['tenant@example.com'],
      email: 'tenant@example.com',
      verifiedEmail: true,
      status: 'enabled',
      roleNames: [],
      userTenants: [{ tenantId: 'T-acme', tenantName: 'Acme', roleNames: ['mlflow-editor'] }],
    });
  });

  it('logout revokes the refresh token: refresh, me and try-refresh stop working', async () => {
    const login = await signIn(ctx.emulator, 'editor@example.com');
    const other = await signIn(ctx.emulator, 'editor@example.com');
    expect((await ctx.sdk.logout(login.refreshJwt)).ok).toBe(true);
    await expect(ctx.sdk.refreshSession(login.refreshJwt)).rejects.toThrow();
    expect((await ctx.sdk.me(login.refreshJwt)).code).toBe(401);
    expect(await (await postJson(ctx.emulator, '/v1/auth/try-refresh', {}, bearer(login.refreshJwt))).json()).toEqual({});
    // Only that token: the same user's other session lives on.
    expect((await ctx.sdk.me(other.refreshJwt)).ok).toBe(true);
  });
});
