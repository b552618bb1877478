import DescopeClient from '@descope/node-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '@/tools/descope-emulator/server';

vi.mock('server-only', () => ({}));
const { createManagement } = await import('@/lib/descope/management');

const PROJECT_ID = 'P2mgmtwrapper0000000000000000';
const MANAGEMENT_KEY = 'wrapper-management-key';
const ADMIN = 'U2emuAdmin000000000000000001';
const EDITOR = 'U2emuEditor00000000000000002';

let emulator: Emulator;
const management = (key = MANAGEMENT_KEY) => createManagement(DescopeClient({ projectId: PROJECT_ID, baseUrl: emulator.url, managementKey: key }).management);
const outage = (on: boolean) =>
  fetch(`${emulator.url}/emulator/outage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ on, status: 500 }) });

beforeEach(async () => {
  emulator = await startEmulator({ projectId: PROJECT_ID, managementKey: MANAGEMENT_KEY });
});
afterEach(() => emulator.close());

describe('management wrappers', () => {
  it('searches users by text with paging and a total', async () => {
    const all = await management().searchUsers('', 0, 2);
    expect(all).toMatchObject({ ok: true, data: { total: 7, page: 0, pageSize: 2 } });
    expect(all.ok && all.data.users).toHaveLength(2);
    const found = await management().searchUsers('eddie', 0, 10);
    expect(found.ok && found.data.users.map((user) => user.loginId)).toEqual(['editor@example.com']);
  });

  it('loads a user with project and tenant roles in the portal shape', async () => {
    const tenant = await management().loadUser('tenant@example.com');
    expect(tenant).toMatchObject({
      ok: true,
      data: { loginId: 'tenant@example.com', roles: [], tenants: [{ tenantId: 'T-acme', tenantName: 'Acme', roles: ['mlflow-editor'] }] },
    });
    expect(await management().loadUser('nobody@example.com')).toMatchObject({ ok: false, failure: 'not_found' });
  });

  it('adds and removes roles project-wide and per tenant', async () => {
    const api = management();
    expect(await api.changeRole({ operation: 'add', loginId: 'reader@example.com', role: 'mlflow-editor' })).toMatchObject({
      ok: true,
      data: { roles: ['mlflow-reader', 'mlflow-editor'] },
    });
    expect(await api.changeRole({ operation: 'remove', loginId: 'reader@example.com', role: 'mlflow-reader' })).toMatchObject({
      ok: true,
      data: { roles: ['mlflow-editor'] },
    });
    const tenantAdd = await api.changeRole({ operation: 'add', loginId: 'reader@example.com', role: 'mlflow-reader', tenantId: 'T-acme' });
    expect(tenantAdd.ok && tenantAdd.data.tenants).toEqual([{ tenantId: 'T-acme', tenantName: 'Acme', roles: ['mlflow-reader'] }]);
    expect(await api.changeRole({ operation: 'add', loginId: 'reader@example.com', role: 'no-such-role' })).toMatchObject({ ok: false, failure: 'invalid' });
  });

  it('lists project roles and tenants', async () => {
    const roles = await management().listRoles();
    expect(roles.ok && roles.data.map((role) => role.name)).toEqual(['admin', 'mlflow-admin', 'mlflow-editor', 'mlflow-reader']);
    expect(await management().listTenants()).toEqual({
      ok: true,
      data: [
        { id: 'T-acme', name: 'Acme' },
        { id: 'T-Globex', name: 'Globex Corporation' },
      ],
    });
  });

  it("creates a key bound to one user with no roles of its own, lists only that user's keys", async () => {
    const api = management();
    const expires = Math.floor(Date.now() / 1000) + 3600;
    const created = await api.createKey(EDITOR, 'notebook', expires);
    expect(created).toMatchObject({ ok: true, data: { key: { name: 'notebook', status: 'active', ownerId: EDITOR, expiresAt: expires * 1000 } } });
    expect(created.ok && created.data.cleartext.length).toBeGreaterThan(20);
    await api.createKey(ADMIN, 'admin key', 0);
    const keys = await api.listKeys(EDITOR);
    expect(keys.ok && keys.data.map((key) => key.name)).toEqual(['notebook']);
    const raw = await fetch(`${emulator.url}/v1/mgmt/accesskey?id=${created.ok ? created.data.key.id : ''}`, {
      headers: { authorization: `Bearer ${PROJECT_ID}:${MANAGEMENT_KEY}` },
    });
    expect((await raw.json()).key.roleNames).toEqual([]);
  });

  it("revokes only the caller's own key; someone else's answers as not found and survives", async () => {
    const api = management();
    const mine = await api.createKey(EDITOR, 'mine', 0);
    const theirs = await api.createKey(ADMIN, 'theirs', 0);
    if (!mine.ok || !theirs.ok) throw new Error('setup failed');
    expect(await api.revokeKey(EDITOR, theirs.data.key.id)).toMatchObject({ ok: false, failure: 'not_found' });
    expect(await api.listKeys(ADMIN)).toMatchObject({ ok: true, data: [{ name: 'theirs' }] });
    expect(await api.revokeKey(EDITOR, mine.data.key.id)).toMatchObject({ ok: true, data: { name: 'mine' } });
    expect(await api.listKeys(EDITOR)).toEqual({ ok: true, data: [] });
  });

  it('turns an outage and a refused management key into typed failures, never exceptions', async () => {
    await outage(true);
    expect(await management().searchUsers('', 0, 10)).toMatchObject({ ok: false, failure: 'unavailable' });
    expect(await management().changeRole({ operation: 'add', loginId: 'reader@example.com', role: 'admin' })).toMatchObject({
      ok: false,
      failure: 'unavailable',
    });
    await outage(false);
    expect(await management('wrong-key').listRoles()).toMatchObject({ ok: false, failure: 'rejected' });
  });
});
