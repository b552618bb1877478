import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { bearer, nowSeconds, postJson, requestCounts, useEmulator } from './support';

const ctx = useEmulator();

async function createKey(...args: Parameters<typeof ctx.sdk.management.accessKey.create>) {
  const created = await ctx.sdk.management.accessKey.create(...args);
  if (!created.ok || !created.data) throw new Error(`create failed: ${JSON.stringify(created.error)}`);
  return created.data;
}

describe('access keys', () => {
  it('exchange for a session carrying the key id and its roles, until the key is deleted', async () => {
    const { key, cleartext } = await createKey('ci', 0, ['mlflow-editor'], [{ tenantId: 'T-acme', roleNames: ['mlflow-reader'] }]);
    expect(key).toMatchObject({ name: 'ci', status: 'active', expireTime: 0, roleNames: ['mlflow-editor'] });

    const info = await ctx.sdk.exchangeAccessKey(cleartext);
    expect(info.token).toMatchObject({
      sub: key.id,
      drn: 'DS',
      roles: ['mlflow-editor'],
      tenants: { 'T-acme': { roles: ['mlflow-reader'], permissions: [] } },
    });
    const raw = (await (await postJson(ctx.emulator, '/v1/auth/accesskey/exchange', { loginOptions: {} }, bearer(cleartext))).json()) as Record<
      string,
      unknown
    >;
    expect(raw).toMatchObject({ keyId: key.id, expiration: decodeJwt(raw.sessionJwt as string).exp });

    expect((await ctx.sdk.management.accessKey.delete(key.id)).ok).toBe(true);
    await expect(ctx.sdk.exchangeAccessKey(cleartext)).rejects.toThrow(/access key/);
    expect((await ctx.sdk.management.accessKey.load(key.id)).code).toBe(404);
  });

  it('stop working while deactivated and work again once activated', async () => {
    const { key, cleartext } = await createKey('paused', 0, ['mlflow-reader']);
    expect((await ctx.sdk.management.accessKey.deactivate(key.id)).ok).toBe(true);
    expect((await ctx.sdk.management.accessKey.load(key.id)).data?.status).toBe('inactive');
    const refused = await postJson(ctx.emulator, '/v1/auth/accesskey/exchange', {}, bearer(cleartext));
    expect(refused.status).toBe(401);
    expect((await ctx.sdk.management.accessKey.activate(key.id)).ok).toBe(true);
    expect((await ctx.sdk.exchangeAccessKey(cleartext)).token.sub).toBe(key.id);
  });

  it('cap the session at the key expiry, and refuse once expired', async () => {
    const soon = nowSeconds() + 60;
    const { cleartext } = await createKey('short', soon, ['mlflow-reader']);
    expect((await ctx.sdk.exchangeAccessKey(cleartext)).token.exp).toBe(soon);
    const { cleartext: stale } = await createKey('stale', nowSeconds() - 1, ['mlflow-reader']);
    expect((await postJson(ctx.emulator, '/v1/auth/accesskey/exchange', {}, bearer(stale))).status).toBe(401);
    expect((await postJson(ctx.emulator, '/v1/auth/accesskey/exchange', {}, bearer('made-up-key'))).status).toBe(401);
  });

  it('are searchable by owner and tenant, and never show their secret again', async () => {
    const owner = (await ctx.sdk.management.user.load('editor@example.com')).data!.userId;
    const { key: mine, cleartext } = await createKey('mine', 0, [], undefined, owner);
    const { key: acme } = await createKey('acme', 0, [], [{ tenantId: 'T-acme', roleNames: [] }]);
    expect(mine).toMatchObject({ boundUserId: owner, userId: owner });

    expect((await ctx.sdk.management.accessKey.searchAll(undefined, owner)).data?.map((key) => key.id)).toEqual([mine.id]);
    expect((await ctx.sdk.management.accessKey.searchAll(['T-acme'])).data?.map((key) => key.id)).toEqual([acme.id]);
    const all = await ctx.sdk.management.accessKey.searchAll();
    expect(all.data).toHaveLength(2);
    expect(JSON.stringify(all.data)).not.toContain(cleartext);
    expect(JSON.stringify((await ctx.sdk.management.accessKey.load(mine.id)).data)).not.toContain(cleartext);
  });

  it('refuse unknown roles and tenants (400) and unknown owners (404) at creation', async () => {
    expect((await ctx.sdk.management.accessKey.create('x', 0, ['superuser'])).code).toBe(400);
    expect((await ctx.sdk.management.accessKey.create('x', 0, [], [{ tenantId: 'T-nowhere', roleNames: [] }])).code).toBe(400);
    expect((await ctx.sdk.management.accessKey.create('x', 0, [], undefined, 'U2nobody')).code).toBe(404);
    expect((await postJson(ctx.emulator, '/v1/mgmt/accesskey/create', { expireTime: 0 }, bearer('test-management-key'))).status).toBe(400);
  });

  it('count exchanges, so callers can prove they cache', async () => {
    const { cleartext } = await createKey('counted', 0, ['mlflow-reader']);
    await ctx.sdk.exchangeAccessKey(cleartext);
    await ctx.sdk.exchangeAccessKey(cleartext);
    expect((await requestCounts(ctx.emulator))['/v1/auth/accesskey/exchange']).toBe(2);
    expect((await postJson(ctx.emulator, '/emulator/requests/reset', {})).status).toBe(200);
    expect((await requestCounts(ctx.emulator))['/v1/auth/accesskey/exchange']).toBeUndefined();
  });
});
