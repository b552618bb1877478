import DescopeClient from '@descope/node-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '@/tools/descope-emulator/server';
import type { Identity } from '@/lib/auth/identity';
import type { AuditEvent } from '@/lib/observability/audit';
import { expireTimeFor } from '@/lib/profile/expiry';

vi.mock('server-only', () => ({}));
const { createManagement } = await import('@/lib/descope/management');
const { createKeyFor, revokeKeyFor, MAX_KEYS_PER_USER } = await import('@/lib/profile/access-keys');

const PROJECT_ID = 'P2profilekeys0000000000000000';
const MANAGEMENT_KEY = 'profile-keys-key';
const NOW = Math.floor(Date.now() / 1000) * 1000;
const URI = 'https://portal.example.com/mlflow';

const user = (userId: string, email: string): Identity => ({
  userId,
  username: userId,
  email,
  name: email,
  roles: [],
  permissions: [],
  tenants: [],
  tenantRoles: {},
  mlflowPermission: 'EDIT',
  isAdmin: false,
  via: 'cookie',
});
const editor = user('U2emuEditor00000000000000002', 'editor@example.com');
const reader = user('U2emuReader00000000000000003', 'reader@example.com');

let emulator: Emulator;
let events: AuditEvent[];
let forgotten: string[];
const deps = () => ({
  management: createManagement(DescopeClient({ projectId: PROJECT_ID, baseUrl: emulator.url, managementKey: MANAGEMENT_KEY }).management),
  audit: (event: AuditEvent) => events.push(event),
  now: () => NOW,
  forgetKey: (keyId: string) => forgotten.push(keyId),
});
const exchange = (key: string) =>
  fetch(`${emulator.url}/v1/auth/accesskey/exchange`, {
    method: 'POST',
    headers: { authorization: `Bearer ${PROJECT_ID}:${key}`, 'content-type': 'application/json' },
    body: '{}',
  });

beforeEach(async () => {
  emulator = await startEmulator({ projectId: PROJECT_ID, managementKey: MANAGEMENT_KEY });
  events = [];
  forgotten = [];
});
afterEach(() => emulator.close());

describe('access keys on the profile page', () => {
  it('creates a key for the signed-in user that works, and keeps the cleartext out of the audit trail', async () => {
    const created = await createKeyFor(editor, { name: '  nightly job ', expiry: '30' }, URI, deps());
    if (!created.ok) throw new Error(created.message);
    expect(created.data).toMatchObject({ trackingUri: URI, key: { name: 'nightly job', ownerId: editor.userId, expiresAt: expireTimeFor('30', NOW) * 1000 } });
    expect((await exchange(created.data.cleartext)).status).toBe(200);
    expect(events).toMatchObject([{ actorId: editor.userId, action: 'accesskey.create', result: 'success' }]);
    expect(JSON.stringify(events)).not.toContain(created.data.cleartext);
  });

  it("limits a key to some of the owner's roles, shows that scope, and refuses roles the owner does not have", async () => {
    const both = { ...editor, roles: ['mlflow-editor', 'mlflow-reader'] };
    const scoped = await createKeyFor(both, { name: 'dashboard', expiry: '30', roles: ['mlflow-reader', 'mlflow-reader'] }, URI, deps());
    expect(scoped).toMatchObject({ ok: true, data: { key: { name: 'dashboard', scope: ['mlflow-reader'] } } });
    expect(events.at(-1)?.detail).toContain('limited to mlflow-reader');
    const unscoped = await createKeyFor(both, { name: 'training', expiry: '30' }, URI, deps());
    expect(unscoped).toMatchObject({ ok: true, data: { key: { scope: [] } } });
    const listed = await deps().management.listKeys(editor.userId);
    expect(listed.ok && Object.fromEntries(listed.data.map((key) => [key.name, key.scope]))).toEqual({ training: [], dashboard: ['mlflow-reader'] });
    const beyond = await createKeyFor(both, { name: 'sneaky', expiry: '30', roles: ['admin'] }, URI, deps());
    expect(beyond).toMatchObject({ ok: false, code: 'bad_input', message: 'A key can only be limited to roles you have; you do not have admin.' });
  });

  it('offers "never" as an expiry (Descope\'s 0) and rejects unknown expiries and empty names', async () => {
    expect(expireTimeFor('never', NOW)).toBe(0);
    expect(expireTimeFor('365', NOW)).toBe(NOW / 1000 + 365 * 86_400);
    const never = await createKeyFor(editor, { name: 'forever', expiry: 'never' }, URI, deps());
    expect(never).toMatchObject({ ok: true, data: { key: { expiresAt: null } } });
    expect(await createKeyFor(editor, { name: 'x', expiry: '7' }, URI, deps())).toMatchObject({ ok: false, code: 'bad_input' });
    expect(await createKeyFor(editor, { name: '   ', expiry: '30' }, URI, deps())).toMatchObject({ ok: false, code: 'bad_input' });
  });

  it("revokes the user's own key: Descope refuses it afterwards and this instance forgets its cached session", async () => {
    const created = await createKeyFor(editor, { name: 'ci', expiry: '90' }, URI, deps());
    if (!created.ok) throw new Error(created.message);
    const revoked = await revokeKeyFor(editor, { keyId: created.data.key.id }, deps());
    expect(revoked).toMatchObject({ ok: true, data: { keyId: created.data.key.id } });
    expect(forgotten).toEqual([created.data.key.id]);
    expect((await exchange(created.data.cleartext)).status).toBe(401);
    expect(events.map((event) => `${event.action}:${event.result}`)).toEqual(['accesskey.create:success', 'accesskey.revoke:success']);
  });

  it("cannot revoke another user's key: answered as not found, audited as denied, the key still works", async () => {
    const theirs = await createKeyFor(reader, { name: 'reader key', expiry: '30' }, URI, deps());
    if (!theirs.ok) throw new Error(theirs.message);
    expect(await revokeKeyFor(editor, { keyId: theirs.data.key.id }, deps())).toMatchObject({ ok: false, code: 'not_found' });
    expect(events.at(-1)).toMatchObject({ actorId: editor.userId, action: 'accesskey.revoke', result: 'denied' });
    expect(forgotten).toEqual([]);
    expect((await exchange(theirs.data.cleartext)).status).toBe(200);
  });

  it(`stops at ${MAX_KEYS_PER_USER} keys per user`, async () => {
    for (let index = 0; index < MAX_KEYS_PER_USER; index += 1) await deps().management.createKey(editor.userId, `key ${index}`, 0);
    expect(await createKeyFor(editor, { name: 'one too many', expiry: '30' }, URI, deps())).toMatchObject({ ok: false, code: 'limit_reached' });
  });

  it('during a Descope outage creates nothing and says so', async () => {
    await fetch(`${emulator.url}/emulator/outage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ on: true, status: 500 }),
    });
    expect(await createKeyFor(editor, { name: 'x', expiry: '30' }, URI, deps())).toMatchObject({ ok: false, code: 'unavailable' });
    await fetch(`${emulator.url}/emulator/outage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ on: false }) });
    expect(await deps().management.listKeys(editor.userId)).toEqual({ ok: true, data: [] });
  });
});
