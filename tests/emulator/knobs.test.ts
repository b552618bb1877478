import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '@/tools/descope-emulator/server';
import { bearer, nowSeconds, postJson, PROJECT_ID, requestCounts, sdkFor, signIn, useEmulator } from './support';

const ctx = useEmulator();
const jwksOf = async (url: string) => ((await (await fetch(`${url}/v2/keys/${PROJECT_ID}`)).json()) as { keys: { kid: string }[] }).keys;

describe('outage switch', () => {
  it('error mode: every Descope endpoint answers 503 error JSON; the knobs keep working', async () => {
    expect((await postJson(ctx.emulator, '/emulator/outage', { on: true })).status).toBe(200);
    for (const path of [`/v2/keys/${PROJECT_ID}`, '/v1/auth/me', '/v1/mgmt/role/all']) {
      const response = await fetch(`${ctx.emulator.url}${path}`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ errorCode: expect.any(String), errorDescription: 'Service unavailable' });
    }
    expect((await fetch(`${ctx.emulator.url}/emulator/info`)).status).toBe(200);
  });

  it('error mode with another 5xx: SDK calls fail at once, then recover', async () => {
    const login = await signIn(ctx.emulator, 'reader@example.com');
    await postJson(ctx.emulator, '/emulator/outage', { on: true, status: 500 });
    expect((await ctx.sdk.me(login.refreshJwt)).code).toBe(500);
    expect((await ctx.sdk.management.role.loadAll()).ok).toBe(false);
    await expect(sdkFor(ctx.emulator).validateSession(login.sessionJwt)).rejects.toThrow();

    await postJson(ctx.emulator, '/emulator/outage', { on: false });
    expect((await ctx.sdk.me(login.refreshJwt)).ok).toBe(true);
    expect((await ctx.sdk.management.role.loadAll()).ok).toBe(true);
    expect((await sdkFor(ctx.emulator).validateSession(login.sessionJwt)).token.sub).toBe(login.user.userId);
  });

  // The SDK retries a 503 after 0.1 s, 5 s and 5 s: an outage that ends within that window is invisible.
  it('a 503 outage that ends while the SDK is retrying still succeeds', { timeout: 15_000 }, async () => {
    const login = await signIn(ctx.emulator, 'reader@example.com');
    await postJson(ctx.emulator, '/emulator/outage', { on: true });
    const me = ctx.sdk.me(login.refreshJwt);
    await expect.poll(async () => (await requestCounts(ctx.emulator))['/v1/auth/me'], { timeout: 3_000 }).toBe(2);
    await postJson(ctx.emulator, '/emulator/outage', { on: false });
    expect((await me).ok).toBe(true);
    expect((await requestCounts(ctx.emulator))['/v1/auth/me']).toBe(3);
  });

  it('hang mode: calls get no answer until the outage ends, and then a 503', async () => {
    await postJson(ctx.emulator, '/emulator/outage', { on: true, mode: 'hang' });
    await expect(fetch(`${ctx.emulator.url}/v1/mgmt/license`, { signal: AbortSignal.timeout(300) })).rejects.toThrow(/abort|timeout/i);
    const held = fetch(`${ctx.emulator.url}/v2/keys/${PROJECT_ID}`);
    await expect.poll(async () => (await requestCounts(ctx.emulator))[`/v2/keys/${PROJECT_ID}`]).toBe(1);
    await postJson(ctx.emulator, '/emulator/outage', { on: false });
    expect((await held).status).toBe(503);
    expect((await fetch(`${ctx.emulator.url}/v2/keys/${PROJECT_ID}`)).status).toBe(200);
  });

  it('hang mode does not keep close() waiting', async () => {
    const emulator = await startEmulator({ projectId: PROJECT_ID });
    await postJson(emulator, '/emulator/outage', { on: true, mode: 'hang' });
    const held = fetch(`${emulator.url}/v1/auth/me`).catch((error: unknown) => error);
    await expect.poll(async () => (await requestCounts(emulator))['/v1/auth/me']).toBe(1);
    const started = Date.now();
    await emulator.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await held).toBeInstanceOf(Error);
  });

  it('refuses an unknown mode', async () => {
    expect((await postJson(ctx.emulator, '/emulator/outage', { on: true, mode: 'flaky' })).status).toBe(400);
  });
});

describe('key rotation', () => {
  it('signs new tokens with a new key while the kept previous key still validates old ones', async () => {
    const before = await signIn(ctx.emulator, 'reader@example.com');
    const rotated = (await (await postJson(ctx.emulator, '/emulator/rotate-keys', { keepPrevious: true })).json()) as { kid: string };
    const after = await signIn(ctx.emulator, 'reader@example.com');
    expect(decodeProtectedHeader(after.sessionJwt).kid).toBe(rotated.kid);
    expect(decodeProtectedHeader(before.sessionJwt).kid).not.toBe(rotated.kid);
    expect((await jwksOf(ctx.emulator.url)).map((key) => key.kid)).toEqual([rotated.kid, decodeProtectedHeader(before.sessionJwt).kid]);

    const fresh = sdkFor(ctx.emulator);
    expect((await fresh.validateSession(after.sessionJwt)).token.sub).toBe(after.user.userId);
    expect((await fresh.validateSession(before.sessionJwt)).token.sub).toBe(before.user.userId);
    expect((await ctx.sdk.refreshSession(before.refreshJwt)).jwt).toBeTruthy();
  });

  it('drops the previous key when keepPrevious is false: its tokens stop validating', async () => {
    const before = await signIn(ctx.emulator, 'reader@example.com');
    await postJson(ctx.emulator, '/emulator/rotate-keys', { keepPrevious: false });
    expect(await jwksOf(ctx.emulator.url)).toHaveLength(1);
    await expect(sdkFor(ctx.emulator).validateSession(before.sessionJwt)).rejects.toThrow();
    expect((await postJson(ctx.emulator, '/v1/auth/refresh', {}, bearer(before.refreshJwt))).status).toBe(401);
  });
});

describe('signing arbitrary claims', () => {
  it('signs exactly the given claims with the genuine current key', async () => {
    const claims = { sub: 'U2forged', iss: `https://api.descope.com/${PROJECT_ID}`, roles: ['admin'] };
    const response = await postJson(ctx.emulator, '/emulator/sign', { claims, header: { kid: 'custom-kid' } });
    const { jwt } = (await response.json()) as { jwt: string };
    expect(decodeJwt(jwt)).toEqual(claims);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'custom-kid' });

    const genuine = ((await (await postJson(ctx.emulator, '/emulator/sign', { claims: { ...claims, exp: nowSeconds() + 60 } })).json()) as { jwt: string }).jwt;
    expect((await ctx.sdk.validateSession(genuine)).token.roles).toEqual(['admin']);
  });

  it('answers 400 for an algorithm the RSA key cannot sign or a body without claims', async () => {
    expect((await postJson(ctx.emulator, '/emulator/sign', { claims: {}, header: { alg: 'HS256' } })).status).toBe(400);
    expect((await postJson(ctx.emulator, '/emulator/sign', { header: {} })).status).toBe(400);
  });
});

describe('demo users and sessions', () => {
  it('lists the demo users with their current roles and tenants', async () => {
    await ctx.sdk.management.user.addRoles('norole@example.com', ['mlflow-reader']);
    const info = (await (await fetch(`${ctx.emulator.url}/emulator/info`)).json()) as { emulator: boolean; projectId: string; users: unknown[] };
    expect(info).toMatchObject({ emulator: true, projectId: PROJECT_ID });
    expect(info.users).toEqual([
      { loginId: 'admin@example.com', name: 'Ada Admin', roles: ['admin'], tenants: [] },
      { loginId: 'editor@example.com', name: 'Eddie Editor', roles: ['mlflow-editor'], tenants: [] },
      { loginId: 'reader@example.com', name: 'Rita Reader', roles: ['mlflow-reader'], tenants: [] },
      { loginId: 'norole@example.com', name: 'Nora Norole', roles: ['mlflow-reader'], tenants: [] },
      { loginId: 'tenant@example.com', name: 'Tess Tenant', roles: [], tenants: [{ tenantId: 'T-acme', tenantName: 'Acme', roles: ['mlflow-editor'] }] },
      {
        loginId: 'globex@example.com',
        name: 'Gil Globex',
        roles: [],
        tenants: [{ tenantId: 'T-Globex', tenantName: 'Globex Corporation', roles: ['mlflow-editor'] }],
      },
      {
        loginId: 'both@example.com',
        name: 'Bea Both',
        roles: [],
        tenants: [
          { tenantId: 'T-acme', tenantName: 'Acme', roles: ['mlflow-editor'] },
          { tenantId: 'T-Globex', tenantName: 'Globex Corporation', roles: ['mlflow-reader'] },
        ],
      },
    ]);
  });

  it('gives each emulator a fresh copy of the seed', async () => {
    await ctx.sdk.management.user.setRoles('admin@example.com', []);
    const other = await startEmulator({ projectId: PROJECT_ID, managementKey: 'k' });
    try {
      expect((await sdkFor(other, 'k').management.user.load('admin@example.com')).data?.roleNames).toEqual(['admin']);
    } finally {
      await other.close();
    }
  });

  it('refuses a session for an unknown user with a 404 error body', async () => {
    const response = await postJson(ctx.emulator, '/emulator/session', { loginId: 'ghost@example.com' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ errorCode: expect.any(String), errorDescription: 'User not found' });
  });
});
