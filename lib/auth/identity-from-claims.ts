import type { Config } from '@/lib/config';
import type { DescopeClaims } from '@/lib/auth/claims';
import type { Identity } from '@/lib/auth/identity';
import { mlflowAccessFor } from '@/lib/auth/role-mapping';

type IdentityConfig = Pick<Config, 'adminRoles' | 'editorRoles' | 'readerRoles' | 'defaultPermission' | 'usernameClaim' | 'tenantId' | 'authz'>;

/** The caller's effective roles: project roles plus, only for DESCOPE_TENANT_ID, that tenant's roles. */
export function effectiveRoles(projectRoles: readonly string[], tenantRoles: Record<string, string[]>, tenantId: string | undefined): string[] {
  const tenant = tenantId ? (tenantRoles[tenantId] ?? []) : [];
  return [...new Set([...projectRoles, ...tenant])];
}

// Verified claims objects are cached and reused (lib/auth/jwt.ts), so the identity built from one
// can be too: a repeat request skips rebuilding roles and permissions. Keyed weakly by the claims
// object, so an entry lives exactly as long as the verifier keeps the token. Shared identities are
// frozen: nothing downstream may change one.
const built = new WeakMap<DescopeClaims, { config: IdentityConfig; via: Identity['via']; identity: Identity }>();

export function identityFromClaims(claims: DescopeClaims, config: IdentityConfig, via: Identity['via']): Identity {
  const hit = built.get(claims);
  if (hit && hit.config === config && hit.via === via) return hit.identity;
  const identity = buildIdentity(claims, config, via);
  built.set(claims, { config, via, identity });
  return identity;
}

function buildIdentity(claims: DescopeClaims, config: IdentityConfig, via: Identity['via']): Identity {
  const tenantRoles = Object.fromEntries(Object.entries(claims.tenants ?? {}).map(([id, tenant]) => [id, [...(tenant.roles ?? [])]]));
  const tenantPermissions = config.tenantId ? (claims.tenants?.[config.tenantId]?.permissions ?? []) : [];
  const roles = effectiveRoles(claims.roles ?? [], tenantRoles, config.tenantId);
  const access = mlflowAccessFor(roles, config);
  const claimed = claims[config.usernameClaim];
  return deepFreeze({
    userId: claims.sub,
    // Without the claim, role mode names the user by id; with MLflow's per-resource grants, which
    // are keyed by name, a fallback would move grants between names, so the name stays empty and
    // the gateway refuses the call with the reason (lib/gateway/plan.ts).
    username: typeof claimed === 'string' && claimed.trim() !== '' ? claimed : config.authz === 'mlflow' ? '' : claims.sub,
    email: claims.email ?? '',
    name: claims.name ?? '',
    roles,
    permissions: [...new Set([...(claims.permissions ?? []), ...tenantPermissions])],
    tenants: Object.keys(tenantRoles),
    tenantRoles,
    mlflowPermission: access.permission,
    isAdmin: access.isAdmin,
    via,
  });
}

function deepFreeze<T extends object>(value: T): T {
  for (const field of Object.values(value)) if (field && typeof field === 'object') deepFreeze(field);
  return Object.freeze(value);
}
