import DescopeClient from '@descope/node-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '@/tools/descope-emulator/server';
import { parseConfig } from '@/lib/config';
import { DEMO_ADMIN } from '@/tests/support/identities';
import type { AuditEvent } from '@/lib/observability/audit';

vi.mock('server-only', () => ({}));
const { createManagement } = await import('@/lib/descope/management');
const { changeRole } = await import('@/lib/admin/change-role');

const PROJECT_ID = 'P2changerole00000000000000000';
const MANAGEMENT_KEY = 'change-role-key';
const ADMIN_ID = DEMO_ADMIN.userId;

const admin = DEMO_ADMIN;

let emulator: Emulator;
let events: AuditEvent[];
const deps = (env: Record<string, string> = {}, withManagement = true) => ({
  management: withManagement
    ? createManagement(DescopeClient({ projectId: PROJECT_ID, baseUrl: emulator.url, managementKey: MANAGEMENT_KEY }).management)
    : undefined,
  config: parseConfig({ DESCOPE_PROJECT_ID: PROJECT_ID, ...env }),
  audit: (event: AuditEvent) => events.push(event),
});
const rolesOf = async (loginId: string) => {
  const user = await deps().management?.loadUser(loginId);
  return user?.ok ? { roles: user.data.roles, tenants: user.data.tenants.map((t) => [t.tenantId, t.roles]) } : undefined;
};

beforeEach(async () => {
  emulator = await startEmulator({ projectId: PROJECT_ID, managementKey: MANAGEMENT_KEY });
  events = [];
});
afterEach(() => emulator.close());

describe('changeRole', () => {
  it('grants a project role, reports the resulting permission and audits who, what, on whom, result', async () => {
    const result = await changeRole(admin, 'add', { loginId: 'reader@example.com', role: 'mlflow-editor' }, deps());
    expect(result).toMatchObject({ ok: true, data: { access: { permission: 'EDIT', isAdmin: false } } });
    expect(result.message).toMatch(/now EDIT/);
    expect(events).toEqual([
      {
        actorId: ADMIN_ID,
        actor: 'admin@example.com',
        action: 'admin.role.add',
        target: 'reader@example.com',
        result: 'success',
        detail: 'mlflow-editor (project)',
      },
    ]);
    const removed = await changeRole(admin, 'remove', { loginId: 'reader@example.com', role: 'mlflow-editor' }, deps());
    expect(removed).toMatchObject({ ok: true, data: { access: { permission: 'READ' } } });
    expect(await rolesOf('reader@example.com')).toEqual({ roles: ['mlflow-reader'], tenants: [] });
  });

  it("a removal ends the user's sessions at Descope, says so, and audits it; a grant leaves them", async () => {
    const signIn = async () =>
      (await (
        await fetch(`${emulator.url}/emulator/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ loginId: 'reader@example.com' }),
        })
      ).json()) as { refreshJwt: string };
    const sdk = DescopeClient({ projectId: PROJECT_ID, baseUrl: emulator.url });
    const session = await signIn();
    await changeRole(admin, 'add', { loginId: 'reader@example.com', role: 'mlflow-editor' }, deps());
    expect((await sdk.refresh(session.refreshJwt)).ok).toBe(true);
    const removed = await changeRole(admin, 'remove', { loginId: 'reader@example.com', role: 'mlflow-editor' }, deps());
    expect(removed.message).toMatch(/^Removed mlflow-editor \(project\) from Rita Reader\. Their MLflow permission is now READ\. Their sessions were ended: /);
    expect(removed.message).toContain('within the session token lifetime set in Descope, 10 minutes by default');
    expect((await sdk.refresh(session.refreshJwt)).ok).toBe(false);
    expect(events.slice(-2)).toMatchObject([
      { action: 'admin.role.remove', result: 'success', detail: 'mlflow-editor (project)' },
      { action: 'admin.user.logout', target: 'reader@example.com', result: 'success', detail: 'after removing mlflow-editor (project)' },
    ]);
  });

  it('adds and removes a tenant role; it counts only for DESCOPE_TENANT_ID', async () => {
    const plain = await changeRole(
      admin,
      'add',
      { loginId: 'norole@example.com', role: 'mlflow-editor', tenantId: 'T-acme' },
      deps({ DESCOPE_DEFAULT_PERMISSION: 'NONE' }),
    );
    expect(plain).toMatchObject({ ok: true, data: { access: { permission: 'NONE' } } });
    const tenantConfig = deps({ DESCOPE_DEFAULT_PERMISSION: 'NONE', DESCOPE_TENANT_ID: 'T-acme' });
    const already = await changeRole(admin, 'add', { loginId: 'norole@example.com', role: 'mlflow-editor', tenantId: 'T-acme' }, tenantConfig);
    expect(already).toMatchObject({ ok: true, data: { access: { permission: 'EDIT' } } });
    expect(already.message).toMatch(/already has/);
    expect(await changeRole(admin, 'remove', { loginId: 'norole@example.com', role: 'mlflow-editor', tenantId: 'T-acme' }, tenantConfig)).toMatchObject({
      ok: true,
    });
    expect(await rolesOf('norole@example.com')).toEqual({ roles: [], tenants: [['T-acme', []]] });
  });

  it('refuses unknown roles, tenants and users, and malformed input, before changing anything', async () => {
    expect(await changeRole(admin, 'add', { loginId: 'reader@example.com', role: 'root' }, deps())).toMatchObject({ ok: false, code: 'bad_input' });
    expect(await changeRole(admin, 'add', { loginId: 'reader@example.com', role: 'admin', tenantId: 'T-nope' }, deps())).toMatchObject({
      ok: false,
      code: 'bad_input',
    });
    expect(await changeRole(admin, 'add', { loginId: 'ghost@example.com', role: 'admin' }, deps())).toMatchObject({ ok: false, code: 'not_found' });
    expect(await changeRole(admin, 'add', { loginId: '', role: 'admin' }, deps())).toMatchObject({ ok: false, code: 'bad_input' });
    expect(await changeRole(admin, 'add', 'reader@example.com', deps())).toMatchObject({ ok: false, code: 'bad_input' });
    expect(await rolesOf('reader@example.com')).toEqual({ roles: ['mlflow-reader'], tenants: [] });
  });

  it('asks an admin to confirm removing their own last admin role, and removes it once confirmed', async () => {
    const unconfirmed = await changeRole(admin, 'remove', { loginId: 'admin@example.com', role: 'admin' }, deps());
    expect(unconfirmed).toMatchObject({ ok: false, code: 'confirm_required' });
    expect(await rolesOf('admin@example.com')).toEqual({ roles: ['admin'], tenants: [] });
    expect(events).toEqual([]);
    const confirmed = await changeRole(admin, 'remove', { loginId: 'admin@example.com', role: 'admin', confirmed: true }, deps());
    expect(confirmed).toMatchObject({ ok: true, data: { access: { isAdmin: false } } });
  });

  it('needs no confirmation when another admin role remains', async () => {
    await changeRole(admin, 'add', { loginId: 'admin@example.com', role: 'mlflow-admin' }, deps());
    expect(await changeRole(admin, 'remove', { loginId: 'admin@example.com', role: 'admin' }, deps())).toMatchObject({
      ok: true,
      data: { access: { isAdmin: true } },
    });
  });

  it('during a Descope outage answers unavailable, audits the failure and changes nothing', async () => {
    await fetch(`${emulator.url}/emulator/outage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ on: true, status: 500 }),
    });
    const result = await changeRole(admin, 'add', { loginId: 'reader@example.com', role: 'admin' }, deps());
    expect(result).toMatchObject({ ok: false, code: 'unavailable' });
    expect(events).toMatchObject([{ action: 'admin.role.add', result: 'failure' }]);
    await fetch(`${emulator.url}/emulator/outage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ on: false }) });
    expect(await rolesOf('reader@example.com')).toEqual({ roles: ['mlflow-reader'], tenants: [] });
  });

  it('without a management key says how to configure one', async () => {
    expect(await changeRole(admin, 'add', { loginId: 'reader@example.com', role: 'admin' }, deps({}, false))).toMatchObject({
      ok: false,
      code: 'not_configured',
      message: expect.stringMatching(/DESCOPE_MANAGEMENT_KEY/),
    });
  });
});
