import { describe, expect, it } from 'vitest';
import { startEmulator } from '@/tools/descope-emulator/server';
import { PROJECT_ID, postJson, requestCounts, sdkFor, signIn, useEmulator } from './support';

const ctx = useEmulator();
const loginIdsOf = (users: { loginIds: string[] }[] | undefined) => users?.map((user) => user.loginIds[0]);

describe('user search', () => {
  it('matches text case-insensitively on login id, email, name and user id', async () => {
    const editor = await ctx.sdk.management.user.search({ text: 'EDITOR' });
    expect(editor.ok).toBe(true);
    expect(loginIdsOf(editor.data?.users)).toEqual(['editor@example.com']);
    expect(editor.data?.total).toBe(1);
    expect(loginIdsOf((await ctx.sdk.management.user.search({ text: 'rita' })).data?.users)).toEqual(['reader@example.com']);
    expect(loginIdsOf((await ctx.sdk.management.user.search({ text: 'U2emuNoRole' })).data?.users)).toEqual(['norole@example.com']);
  });

  it('filters by role (project or tenant) and tenant, and pages with page/limit', async () => {
    expect(loginIdsOf((await ctx.sdk.management.user.search({ roles: ['mlflow-editor'] })).data?.users)).toEqual([
      'editor@example.com',
      'tenant@example.com',
      'globex@example.com',
      'both@example.com',
    ]);
    expect(loginIdsOf((await ctx.sdk.management.user.search({ tenantIds: ['T-acme'] })).data?.users)).toEqual(['tenant@example.com', 'both@example.com']);
    const page = await ctx.sdk.management.user.search({ limit: 2, page: 1 });
    expect(page.data?.total).toBe(7);
    expect(loginIdsOf(page.data?.users)).toEqual(['reader@example.com', 'norole@example.com']);
  });

  it('loads one user by login id and by user id', async () => {
    const byLogin = await ctx.sdk.management.user.load('reader@example.com');
    expect(byLogin.data?.roleNames).toEqual(['mlflow-reader']);
    const byId = await ctx.sdk.management.user.loadByUserId(byLogin.data!.userId);
    expect(byId.data?.loginIds).toEqual(['reader@example.com']);
    expect((await ctx.sdk.management.user.load('nobody@example.com')).code).toBe(404);
  });
});

describe('role changes', () => {
  it('adds, removes and sets project roles', async () => {
    const { user } = ctx.sdk.management;
    expect((await user.addRoles('norole@example.com', ['mlflow-reader', 'mlflow-editor'])).data?.roleNames).toEqual(['mlflow-reader', 'mlflow-editor']);
    expect((await user.removeRoles('norole@example.com', ['mlflow-reader'])).data?.roleNames).toEqual(['mlflow-editor']);
    expect((await user.setRoles('norole@example.com', ['admin'])).data?.roleNames).toEqual(['admin']);
    expect((await user.load('norole@example.com')).data?.roleNames).toEqual(['admin']);
  });

  it('changes tenant roles, adding the tenant for a non-member', async () => {
    const { user } = ctx.sdk.management;
    const added = await user.addTenantRoles('tenant@example.com', 'T-acme', ['mlflow-reader']);
    expect(added.data?.userTenants).toEqual([{ tenantId: 'T-acme', tenantName: 'Acme', roleNames: ['mlflow-editor', 'mlflow-reader'] }]);
    const removed = await user.removeTenantRoles('tenant@example.com', 'T-acme', ['mlflow-editor']);
    expect(removed.data?.userTenants).toEqual([{ tenantId: 'T-acme', tenantName: 'Acme', roleNames: ['mlflow-reader'] }]);
    expect(removed.data?.roleNames).toEqual([]);
    const joined = await user.addTenantRoles('reader@example.com', 'T-acme', ['mlflow-editor']);
    expect(joined.data?.userTenants).toEqual([{ tenantId: 'T-acme', tenantName: 'Acme', roleNames: ['mlflow-editor'] }]);
    expect(joined.data?.roleNames).toEqual(['mlflow-reader']);
  });

  it('refuses unknown roles, unknown tenants and tenant removals for non-members with 400', async () => {
    const { user } = ctx.sdk.management;
    for (const response of [
      await user.addRoles('reader@example.com', ['superuser']),
      await user.setTenantRoles('reader@example.com', 'T-nowhere', ['mlflow-reader']),
      await user.removeTenantRoles('editor@example.com', 'T-acme', ['mlflow-editor']),
    ]) {
      expect(response.code).toBe(400);
      expect(response.error).toMatchObject({ errorCode: expect.any(String), errorDescription: expect.any(String), errorMessage: expect.any(String) });
    }
    expect((await user.load('reader@example.com')).data).toMatchObject({ roleNames: ['mlflow-reader'], userTenants: [] });
  });
});

describe('sessions and status', () => {
  it('logoutUser and logoutUserByUserId end every session of that user, and only theirs', async () => {
    const [laptop, phone, other] = [
      await signIn(ctx.emulator, 'editor@example.com'),
      await signIn(ctx.emulator, 'editor@example.com'),
      await signIn(ctx.emulator, 'reader@example.com'),
    ];
    expect((await ctx.sdk.management.user.logoutUser('editor@example.com')).ok).toBe(true);
    for (const session of [laptop, phone]) expect((await ctx.sdk.refresh(session.refreshJwt)).ok).toBe(false);
    expect((await ctx.sdk.refresh(other.refreshJwt)).ok).toBe(true);
    // A sign-in after the logout works as usual.
    const later = await signIn(ctx.emulator, 'editor@example.com');
    expect((await ctx.sdk.refresh(later.refreshJwt)).ok).toBe(true);
    expect((await ctx.sdk.management.user.logoutUserByUserId(other.user.userId)).ok).toBe(true);
    expect((await ctx.sdk.refresh(other.refreshJwt)).ok).toBe(false);
    expect((await ctx.sdk.management.user.logoutUser('nobody@example.com')).code).toBe(404);
  });

  it('deactivate disables a user (no sign-in, no refresh) until activate', async () => {
    const session = await signIn(ctx.emulator, 'reader@example.com');
    const disabled = await ctx.sdk.management.user.deactivate('reader@example.com');
    expect(disabled.data?.status).toBe('disabled');
    expect((await ctx.sdk.refresh(session.refreshJwt)).ok).toBe(false);
    expect((await postJson(ctx.emulator, '/emulator/session', { loginId: 'reader@example.com' })).status).toBe(403);
    expect((await ctx.sdk.management.user.activate('reader@example.com')).data?.status).toBe('enabled');
    expect((await ctx.sdk.refresh(session.refreshJwt)).ok).toBe(true);
  });
});

describe('roles, tenants and the license handshake', () => {
  it('lists the seeded roles and tenants', async () => {
    const roles = await ctx.sdk.management.role.loadAll();
    expect(roles.data?.map((role) => role.name)).toEqual(['admin', 'mlflow-admin', 'mlflow-editor', 'mlflow-reader']);
    expect(roles.data?.every((role) => role.description && Array.isArray(role.permissionNames))).toBe(true);
    const tenants = await ctx.sdk.management.tenant.loadAll();
    expect(tenants.data).toEqual([
      expect.objectContaining({ id: 'T-acme', name: 'Acme' }),
      expect.objectContaining({ id: 'T-Globex', name: 'Globex Corporation' }),
    ]);
    expect((await ctx.sdk.management.tenant.load('T-acme')).data).toMatchObject({ id: 'T-acme', name: 'Acme' });
  });

  it('answers the license call the SDK makes when given a management key', async () => {
    await expect.poll(() => requestCounts(ctx.emulator)).toMatchObject({ '/v1/mgmt/license': 1 });
    const license = await fetch(`${ctx.emulator.url}/v1/mgmt/license`, { headers: { authorization: `Bearer ${PROJECT_ID}:test-management-key` } });
    expect(await license.json()).toEqual({ rateLimitTier: 'free' });
  });
});

describe('management authentication', () => {
  it('refuses a wrong or missing management key with 401', async () => {
    const wrong = sdkFor(ctx.emulator, 'not-the-key').management;
    for (const response of [await wrong.user.search({ text: 'editor' }), await wrong.role.loadAll(), await wrong.accessKey.create('k', 0)]) {
      expect(response.ok).toBe(false);
      expect(response.code).toBe(401);
    }
    const anonymous = await postJson(ctx.emulator, '/v2/mgmt/user/search', {}, { authorization: `Bearer ${PROJECT_ID}` });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ errorDescription: 'Unauthorized' });
  });

  it('refuses every management call when the emulator has no management key', async () => {
    const emulator = await startEmulator({ projectId: PROJECT_ID });
    try {
      const response = await sdkFor(emulator, 'anything').management.role.loadAll();
      expect(response.code).toBe(401);
    } finally {
      await emulator.close();
    }
  });
});
