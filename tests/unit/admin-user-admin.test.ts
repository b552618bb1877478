import DescopeClient from '@descope/node-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '@/tools/descope-emulator/server';
import { DEMO_ADMIN } from '@/tests/support/identities';
import type { AuditEvent } from '@/lib/observability/audit';

vi.mock('server-only', () => ({}));
const { createManagement } = await import('@/lib/descope/management');
const { revokeUserKey, setUserStatus } = await import('@/lib/admin/user-admin');

const PROJECT_ID = 'P2useradmin000000000000000000';
const MANAGEMENT_KEY = 'user-admin-key';
const admin = DEMO_ADMIN;

let emulator: Emulator;
let events: AuditEvent[];
let forgotten: string[];
const sdk = () => DescopeClient({ projectId: PROJECT_ID, baseUrl: emulator.url, managementKey: MANAGEMENT_KEY });
const deps = () => ({
  management: createManagement(sdk().management),
  audit: (event: AuditEvent) => events.push(event),
  forgetKey: (id: string) => forgotten.push(id),
});
const keyOf = async (loginId: string) => {
  const { data: user } = await sdk().management.user.load(loginId);
  return (await sdk().management.accessKey.create(`${loginId} key`, 0, [], undefined, user!.userId)).data!;
};

beforeEach(async () => {
  emulator = await startEmulator({ projectId: PROJECT_ID, managementKey: MANAGEMENT_KEY });
  events = [];
  forgotten = [];
});
afterEach(() => emulator.close());

describe('an admin managing another user', () => {
  it("revokes one of the user's access keys: Descope refuses it, this instance forgets it, the audit says who and whose", async () => {
    const { key, cleartext } = await keyOf('reader@example.com');
    const result = await revokeUserKey(admin, { loginId: 'reader@example.com', keyId: key.id }, deps());
    expect(result).toMatchObject({ ok: true, data: { keyId: key.id } });
    expect(result.message).toMatch(/^Revoked “reader@example.com key” of Rita Reader\./);
    await expect(sdk().exchangeAccessKey(cleartext)).rejects.toThrow();
    expect(forgotten).toEqual([key.id]);
    expect(events).toEqual([
      {
        actorId: admin.userId,
        actor: 'admin@example.com',
        action: 'admin.accesskey.revoke',
        target: 'reader@example.com',
        result: 'success',
        detail: `"reader@example.com key" ${key.id}`,
      },
    ]);
  });

  it('answers "not found" for a key of someone else than the named user, and keeps it', async () => {
    const { key, cleartext } = await keyOf('editor@example.com');
    expect(await revokeUserKey(admin, { loginId: 'reader@example.com', keyId: key.id }, deps())).toMatchObject({ ok: false, code: 'not_found' });
    expect((await sdk().exchangeAccessKey(cleartext)).token.sub).toBe(key.id);
    expect(events).toMatchObject([{ action: 'admin.accesskey.revoke', result: 'denied' }]);
    expect(await revokeUserKey(admin, { loginId: '', keyId: key.id }, deps())).toMatchObject({ ok: false, code: 'bad_input' });
  });

  it('disables a user (sessions ended, no sign-in), enables them again, and never disables themself', async () => {
    const session = (await (
      await fetch(`${emulator.url}/emulator/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ loginId: 'reader@example.com' }),
      })
    ).json()) as { refreshJwt: string };
    const disabled = await setUserStatus(admin, 'disabled', { loginId: 'reader@example.com' }, deps());
    expect(disabled).toMatchObject({ ok: true, data: { user: { status: 'disabled' } } });
    expect((await sdk().refresh(session.refreshJwt)).ok).toBe(false);
    expect(events.slice(-2)).toMatchObject([
      { action: 'admin.user.disable', target: 'reader@example.com', result: 'success' },
      { action: 'admin.user.logout', target: 'reader@example.com', result: 'success', detail: 'after disabling' },
    ]);
    expect(await setUserStatus(admin, 'disabled', { loginId: 'reader@example.com' }, deps())).toMatchObject({
      ok: true,
      message: 'Rita Reader is already disabled.',
    });

    const enabled = await setUserStatus(admin, 'enabled', { loginId: 'reader@example.com' }, deps());
    expect(enabled).toMatchObject({ ok: true, data: { user: { status: 'enabled' } } });
    expect(events.at(-1)).toMatchObject({ action: 'admin.user.enable', result: 'success' });

    expect(await setUserStatus(admin, 'disabled', { loginId: 'admin@example.com' }, deps())).toMatchObject({
      ok: false,
      code: 'bad_input',
      message: 'You cannot disable your own account: ask another admin.',
    });
    expect((await sdk().management.user.load('admin@example.com')).data?.status).toBe('enabled');
    expect(await setUserStatus(admin, 'disabled', { loginId: 'ghost@example.com' }, deps())).toMatchObject({ ok: false, code: 'not_found' });
  });
});
