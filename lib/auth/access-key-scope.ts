import type { DescopeClaims } from '@/lib/auth/claims';

/** A key's owner as the management API returns them. */
export interface OwnerRecord {
  userId: string;
  email?: string;
  name?: string;
  status?: string;
  roleNames?: string[];
  userTenants?: { tenantId: string; roleNames?: string[] }[];
}

/**
 * The roles a key is limited to: the roles Descope put on the key itself (project and tenant), as
 * its exchanged session carries them. None means an unscoped key: all of its owner's roles.
 */
export function keyScope(keyClaims: DescopeClaims): Set<string> | undefined {
  const named = [...(keyClaims.roles ?? []), ...Object.values(keyClaims.tenants ?? {}).flatMap((tenant) => tenant.roles ?? [])];
  return named.length > 0 ? new Set(named) : undefined;
}

/**
 * The claims a user-bound key acts with: its owner's current roles, narrowed to the key's scope
 * when it has one. So a scoped key never grants more than its owner now has, nor more than it
 * was made for; `empty` says a scoped key has no role left at all.
 */
export function ownerClaims(keyClaims: DescopeClaims, owner: OwnerRecord): { claims: DescopeClaims; empty: boolean } {
  const scope = keyScope(keyClaims);
  const within = (roles: readonly string[] | undefined) => (roles ?? []).filter((role) => !scope || scope.has(role));
  const roles = within(owner.roleNames);
  const tenantEntries = (owner.userTenants ?? []).map((tenant): [string, { roles: string[]; permissions: string[] }] => [
    tenant.tenantId,
    { roles: within(tenant.roleNames), permissions: [] },
  ]);
  const empty = scope !== undefined && roles.length === 0 && tenantEntries.every(([, tenant]) => tenant.roles.length === 0);
  return {
    claims: {
      ...keyClaims,
      sub: owner.userId,
      email: owner.email ?? '',
      name: owner.name ?? '',
      roles,
      permissions: [],
      tenants: Object.fromEntries(tenantEntries),
    },
    empty,
  };
}
