import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '@/tools/descope-emulator/server';
import type { Identity } from '@/lib/auth/identity';

// The server actions as Next calls them, with only the request-bound gate faked: who is calling.
// Everything behind it (management SDK, audit) is real, against the emulator.
const caller = vi.hoisted(() => ({ current: undefined as Identity | undefined }));
vi.mock('server-only', () => ({}));
vi.mock('next/cache', () => ({ revalidatePath: vi.fn() }));
vi.mock('@/lib/auth/require-user', () => ({
  requireInteractive: async (requirement: { admin?: boolean }) => {
    const identity = caller.current;
    if (requirement.admin && !identity?.isAdmin) return { ok: false, message: 'this page is for admins only', identity };
    return { ok: true, identity };
  },
}));

const PROJECT_ID = 'P2adminactions000000000000000';
const MANAGEMENT_KEY = 'admin-actions-key';
const person = (loginId: string, userId: string, roles: string[], isAdmin: boolean): Identity => ({
  userId,
  username: userId,
  email: loginId,
  name: loginId,
  roles,
  permissions: [],
  tenants: [],
  tenantRoles: {},
  mlflowPermission: isAdmin ? 'MANAGE' : 'READ',
  isAdmin,
  via: 'cookie',
});
const reader = person('reader@example.com', 'U2emuReader00000000000000003', ['mlflow-reader'], false);
const admin = person('admin@example.com', 'U2emuAdmin000000000000000001', ['admin'], true);

let emulator: Emulator;
let actions: typeof import('@/lib/admin/actions');
let audited: string[];

beforeAll(async () => {
  emulator = await startEmulator({ projectId: PROJECT_ID, managementKey: MANAGEMENT_KEY });
  Object.assign(process.env, {
    DESCOPE_PROJECT_ID: PROJECT_ID,
    DESCOPE_MANAGEMENT_KEY: MANAGEMENT_KEY,
    DESCOPE_BASE_URL: emulator.url,
    PORTAL_AUDIT_LOG: 'stdout',
  });
  actions = await import('@/lib/admin/actions');
});
afterAll(() => emulator.close());

beforeEach(() => {
  audited = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((line) => {
    if (typeof line === 'string' && line.includes('"event":"audit"')) audited.push(line);
    return true;
  });
});

const rolesAtDescope = async (loginId: string) => {
  const response = await fetch(`${emulator.url}/v1/mgmt/user?loginId=${encodeURIComponent(loginId)}`, {
    headers: { authorization: `Bearer ${PROJECT_ID}:${MANAGEMENT_KEY}` },
  });
  return ((await response.json()) as { user: { roleNames: string[] } }).user.roleNames;
};

describe('admin server actions', () => {
  it.each(['grantRole', 'revokeRole'] as const)('%s called directly by a non-admin is forbidden, audited as denied, and changes nothing', async (name) => {
    caller.current = reader;
    const role = name === 'grantRole' ? 'admin' : 'mlflow-reader';
    const result = await actions[name]({ loginId: 'reader@example.com', role });
    expect(result).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await rolesAtDescope('reader@example.com')).toEqual(['mlflow-reader']);
    expect(audited.map((line) => JSON.parse(line))).toMatchObject([{ actorId: reader.userId, result: 'denied', target: 'reader@example.com' }]);
  });

  it('an admin grants and removes a role through the same actions', async () => {
    caller.current = admin;
    expect(await actions.grantRole({ loginId: 'reader@example.com', role: 'mlflow-editor' })).toMatchObject({
      ok: true,
      data: { access: { permission: 'EDIT' } },
    });
    expect(await rolesAtDescope('reader@example.com')).toEqual(['mlflow-reader', 'mlflow-editor']);
    expect(await actions.revokeRole({ loginId: 'reader@example.com', role: 'mlflow-editor' })).toMatchObject({ ok: true });
    expect(await rolesAtDescope('reader@example.com')).toEqual(['mlflow-reader']);
    expect(audited.map((line) => `${JSON.parse(line).action}:${JSON.parse(line).result}`)).toEqual([
      'admin.role.add:success',
      'admin.role.remove:success',
      'admin.user.logout:success',
    ]);
  });

  it.each([
    ['revokeUserAccessKey', { loginId: 'editor@example.com', keyId: 'K2whatever' }],
    ['disableUser', { loginId: 'editor@example.com' }],
    ['enableUser', { loginId: 'editor@example.com' }],
  ] as const)('%s called directly by a non-admin is forbidden and audited as denied', async (name, input) => {
    caller.current = reader;
    expect(await actions[name](input)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(audited.map((line) => JSON.parse(line))).toMatchObject([{ actorId: reader.userId, result: 'denied', target: 'editor@example.com' }]);
    const status = await fetch(`${emulator.url}/v1/mgmt/user?loginId=editor%40example.com`, {
      headers: { authorization: `Bearer ${PROJECT_ID}:${MANAGEMENT_KEY}` },
    });
    expect(((await status.json()) as { user: { status: string } }).user.status).toBe('enabled');
  });
});
