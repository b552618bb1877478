import { z } from 'zod';
import type { DescopeSdk } from '@/lib/descope/client';
import type { Logger } from '@/lib/observability/log';

const names = z
  .array(z.string())
  .nullish()
  .transform((list) => list ?? []);
const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');

// Descope's records, parsed at the boundary into the portal's own shapes (lenient on absent fields).
const userSchema = z
  .object({
    userId: z.string().min(1),
    loginIds: names,
    email: text,
    name: text,
    status: text,
    roleNames: names,
    userTenants: z.array(z.object({ tenantId: z.string().min(1), tenantName: text, roleNames: names })).nullish(),
  })
  .transform((user) => ({
    userId: user.userId,
    loginId: user.loginIds[0] ?? user.userId,
    email: user.email,
    name: user.name,
    status: user.status || 'enabled',
    roles: user.roleNames,
    tenants: (user.userTenants ?? []).map((tenant) => ({
      tenantId: tenant.tenantId,
      tenantName: tenant.tenantName || tenant.tenantId,
      roles: tenant.roleNames,
    })),
  }));

const seconds = z.number().nullish();
const accessKeySchema = z
  .object({
    id: z.string().min(1),
    name: text,
    status: text,
    createdTime: seconds,
    expireTime: seconds,
    expiresTime: seconds,
    boundUserId: text,
    roleNames: names,
    keyTenants: z.array(z.object({ roleNames: names })).nullish(),
  })
  .transform((key) => {
    // Descope answers `expireTime`; the SDK's type names it `expiresTime`. 0 means "never".
    const expires = key.expireTime ?? key.expiresTime ?? 0;
    const expiresAt = expires > 0 ? expires * 1000 : null;
    const expired = expiresAt !== null && expiresAt <= Date.now();
    const status: 'active' | 'inactive' | 'expired' = key.status === 'inactive' ? 'inactive' : expired ? 'expired' : 'active';
    // The key's own roles limit it (lib/auth/access-key-scope.ts); none: all of its owner's roles.
    const scope = [...new Set([...key.roleNames, ...(key.keyTenants ?? []).flatMap((tenant) => tenant.roleNames)])];
    return { id: key.id, name: key.name || key.id, createdAt: (key.createdTime ?? 0) * 1000, expiresAt, status, ownerId: key.boundUserId, scope };
  });

const roleSchema = z.object({ name: z.string().min(1), description: text, tenantId: text });
const tenantSchema = z.object({ id: z.string().min(1), name: text }).transform((tenant) => ({ id: tenant.id, name: tenant.name || tenant.id }));

export type DirectoryUser = z.output<typeof userSchema>;
export type AccessKeyInfo = z.output<typeof accessKeySchema>;
export type RoleInfo = z.output<typeof roleSchema>;
export type TenantInfo = z.output<typeof tenantSchema>;

export type ManagementFailure = 'not_configured' | 'unavailable' | 'rejected' | 'not_found' | 'invalid';
export type Outcome<T> = { ok: true; data: T } | { ok: false; failure: ManagementFailure; message: string };

type Sdk = DescopeSdk['management'];
type SdkAnswer = { ok: boolean; code?: number; data?: unknown; error?: { errorCode?: string; errorDescription?: string } };

export const failureMessages: Record<ManagementFailure, string> = {
  not_configured: 'Managing users and access keys needs a Descope management key: set DESCOPE_MANAGEMENT_KEY on the portal and restart it.',
  unavailable: 'Descope’s management API is not answering right now. Nothing was changed; try again in a minute.',
  rejected: 'Descope refused the portal’s management key. Check DESCOPE_MANAGEMENT_KEY.',
  not_found: 'Descope has no such record.',
  invalid: 'Descope did not accept this request.',
};

const fail = <T>(failure: ManagementFailure, message = failureMessages[failure]): Outcome<T> => ({ ok: false, failure, message });

function classify(code: number | undefined): ManagementFailure {
  if (code === 404) return 'not_found';
  if (code === 401 || code === 403) return 'rejected';
  if (code === 400) return 'invalid';
  return 'unavailable';
}

/**
 * One management call: SDK answers and exceptions become an Outcome, and whatever Descope said in
 * detail goes to the log only, so no SDK internals ever reach a page or an action result.
 */
async function callDescope<T>(log: Logger, what: string, run: () => Promise<SdkAnswer>, parse: (data: unknown) => T): Promise<Outcome<T>> {
  let answer: SdkAnswer;
  try {
    answer = await run();
  } catch (error) {
    log('warn', 'descope.management_failed', { what, error: error instanceof Error ? error.message : String(error) });
    return fail('unavailable');
  }
  if (!answer.ok) {
    const failure = classify(answer.code);
    log('warn', 'descope.management_refused', { what, status: answer.code, code: answer.error?.errorCode, detail: answer.error?.errorDescription });
    return fail(failure);
  }
  try {
    return { ok: true, data: parse(answer.data) };
  } catch (error) {
    log('error', 'descope.management_unexpected', { what, error: error instanceof Error ? error.message.slice(0, 300) : 'parse failed' });
    return fail('unavailable', 'Descope answered in an unexpected shape. Nothing was changed.');
  }
}

export interface UserPage {
  users: DirectoryUser[];
  total: number;
  page: number;
  pageSize: number;
}

export type RoleChange = { operation: 'add' | 'remove'; loginId: string; role: string; tenantId?: string };

/** Typed, failure-safe wrappers over the node SDK's management API (tests hand in an SDK on the emulator). */
export function createManagement(sdk: Sdk, log: Logger = () => undefined) {
  const call = <T>(what: string, run: () => Promise<SdkAnswer>, parse: (data: unknown) => T) => callDescope(log, what, run, parse);
  const users = (data: unknown) => userSchema.array().parse(data ?? []);
  return {
    searchUsers: (text: string, page: number, pageSize: number) =>
      call(
        'user.search',
        () => sdk.user.search({ text: text || undefined, page, limit: pageSize }),
        (data) => {
          const found = data as { users?: unknown; total?: unknown } | undefined;
          const list = users(found?.users);
          const total = typeof found?.total === 'number' ? found.total : list.length;
          return { users: list, total, page, pageSize } satisfies UserPage;
        },
      ),
    loadUser: (loginId: string) =>
      call(
        'user.load',
        () => sdk.user.load(loginId),
        (data) => userSchema.parse(data),
      ),
    changeRole: ({ operation, loginId, role, tenantId }: RoleChange) =>
      call(
        `user.role.${operation}`,
        () => {
          if (tenantId) return operation === 'add' ? sdk.user.addTenantRoles(loginId, tenantId, [role]) : sdk.user.removeTenantRoles(loginId, tenantId, [role]);
          return operation === 'add' ? sdk.user.addRoles(loginId, [role]) : sdk.user.removeRoles(loginId, [role]);
        },
        (data) => userSchema.parse(data),
      ),
    /** Descope's management logout: every session of the user ends (their refresh tokens stop working). */
    endSessions: (loginId: string) =>
      call(
        'user.logout',
        () => sdk.user.logoutUser(loginId),
        () => undefined,
      ),
    /** Disabled users can neither sign in nor refresh; the SDK's activate/deactivate. */
    setStatus: (loginId: string, status: 'enabled' | 'disabled') =>
      call(
        `user.${status === 'enabled' ? 'activate' : 'deactivate'}`,
        () => (status === 'enabled' ? sdk.user.activate(loginId) : sdk.user.deactivate(loginId)),
        (data) => userSchema.parse(data),
      ),
    listRoles: () =>
      call(
        'role.all',
        () => sdk.role.loadAll(),
        (data): RoleInfo[] =>
          roleSchema
            .array()
            .parse(data ?? [])
            .filter((role) => !role.tenantId),
      ),
    listTenants: () =>
      call(
        'tenant.all',
        () => sdk.tenant.loadAll(),
        (data): TenantInfo[] => tenantSchema.array().parse(data ?? []),
      ),
    ...accessKeyCalls(sdk, call),
  };
}

/** Access keys of ONE user: every call names the owner, and revoking checks the key is theirs. */
type Call = <T>(what: string, run: () => Promise<SdkAnswer>, parse: (data: unknown) => T) => Promise<Outcome<T>>;

function accessKeyCalls(sdk: Sdk, call: Call) {
  const keyOf = (data: unknown) => accessKeySchema.parse(data);
  const listKeys = (userId: string) =>
    call(
      'accesskey.search',
      () => sdk.accessKey.searchAll(undefined, userId),
      (data): AccessKeyInfo[] =>
        // Filtered again here: a search that ignored boundUserId must not show someone else's keys.
        accessKeySchema
          .array()
          .parse(data ?? [])
          .filter((key) => key.ownerId === userId)
          .sort((a, b) => b.createdAt - a.createdAt),
    );
  const createKey = (userId: string, name: string, expiresAtSeconds: number, scope: readonly string[] = []) =>
    // Roles on the key limit it to those of its owner's roles; none: all of them, as they are at use.
    call(
      'accesskey.create',
      () => sdk.accessKey.create(name, expiresAtSeconds, [...scope], undefined, userId),
      (data) => {
        const created = data as { key?: unknown; cleartext?: unknown } | undefined;
        if (typeof created?.cleartext !== 'string' || created.cleartext === '') throw new Error('no cleartext in the answer');
        return { key: keyOf(created.key), cleartext: created.cleartext };
      },
    );
  async function revokeKey(userId: string, keyId: string): Promise<Outcome<AccessKeyInfo>> {
    const loaded = await call('accesskey.load', () => sdk.accessKey.load(keyId), keyOf);
    if (!loaded.ok) return loaded;
    // Someone else's key answers exactly like a missing one: ids are not to be probed.
    if (loaded.data.ownerId !== userId) return fail('not_found', 'You have no access key with this id.');
    const deleted = await call(
      'accesskey.delete',
      () => sdk.accessKey.delete(keyId),
      () => loaded.data,
    );
    return deleted;
  }
  return { listKeys, createKey, revokeKey };
}

export type Management = ReturnType<typeof createManagement>;

export const notConfigured = <T>(): Outcome<T> => fail('not_configured');
