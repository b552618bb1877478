import { SignJWT } from 'jose';
import type { Identity } from '@/lib/auth/identity';
import type { WorkspaceAccess } from '@/lib/auth/workspace-access';

/** The contract with MLflow's plugin (mlflow-plugin/README.md): who the caller is, signed by the portal. */
export const ASSERTION_HEADER = 'x-descope-assertion';
export const ASSERTION_ISSUER = 'mlflow-descope-portal';
export const ASSERTION_AUDIENCE = 'mlflow';
/** MLflow's plugin refuses assertions that live longer than this. */
export const ASSERTION_LIFETIME_SECONDS = 60;
// An assertion is reused while it has at least this long to live, so one signature serves an
// identity for ~45 s of requests and none arrives with less than the plugin's leeway to spare.
const REUSE_MARGIN_SECONDS = 15;

/** With PORTAL_WORKSPACES=tenants: the call's workspace, and every workspace the caller may use. */
export interface AssertedWorkspaces {
  active: string;
  /** callerWorkspaces(identity) — memoised per identity, so the same array for every call. */
  workspaces: readonly WorkspaceAccess[];
}

export interface AssertionSigner {
  /** The assertion for this identity (in this workspace): cached, signed again as it nears expiry. */
  assertionFor(identity: Identity, scope?: AssertedWorkspaces): Promise<string>;
}

/**
 * Signs X-Descope-Assertion with HS256. Identities are frozen and memoised per verified token
 * (lib/auth/identity-from-claims.ts), so a WeakMap keyed by the identity object caches exactly as
 * long as the token does: the hot path pays one map lookup, not an HMAC. With workspaces, one
 * assertion per identity and active workspace.
 */
export function createAssertionSigner(secret: Uint8Array, now: () => number = Date.now): AssertionSigner {
  const signed = new WeakMap<Identity, Map<string, { jwt: string; exp: number }>>();
  return {
    async assertionFor(identity, scope) {
      const seconds = Math.floor(now() / 1000);
      const perWorkspace = signed.get(identity);
      const hit = perWorkspace?.get(scope?.active ?? '');
      if (hit && hit.exp - seconds >= REUSE_MARGIN_SECONDS) return hit.jwt;
      const exp = seconds + ASSERTION_LIFETIME_SECONDS;
      const jwt = await new SignJWT({
        username: identity.username,
        email: identity.email,
        name: identity.name,
        admin: identity.isAdmin,
        roles: [...identity.roles],
        tenants: Object.fromEntries(Object.entries(identity.tenantRoles).map(([tenant, roles]) => [tenant, [...roles]])),
        ...(scope ? workspaceClaims(scope) : {}),
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(ASSERTION_ISSUER)
        .setAudience(ASSERTION_AUDIENCE)
        .setSubject(identity.userId)
        .setIssuedAt(seconds)
        .setExpirationTime(exp)
        .sign(secret);
      // A workspace the caller never visits again must not pin a signature for long: few per identity.
      const entries = perWorkspace ?? new Map<string, { jwt: string; exp: number }>();
      if (entries.size >= MAX_WORKSPACES_CACHED) entries.clear();
      entries.set(scope?.active ?? '', { jwt, exp });
      signed.set(identity, entries);
      return jwt;
    },
  };
}

const MAX_WORKSPACES_CACHED = 64;

/** The plugin makes MLflow's membership and roles follow `workspaces` (mlflow-plugin/README.md). */
function workspaceClaims(scope: AssertedWorkspaces) {
  return {
    workspace: scope.active,
    workspaces: Object.fromEntries(scope.workspaces.map((workspace) => [workspace.name, { access: workspace.access, roles: [...workspace.roles] }])),
  };
}
