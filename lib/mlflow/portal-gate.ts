import type { Requirement } from '@/lib/auth/decide';
import type { PermissionMatch } from '@/lib/mlflow/permissions';

export type PortalGate = { kind: 'decide'; requirement: Requirement } | { kind: 'refuse'; message: string };

export const DESCOPE_OWNS_USERS =
  "users are managed in Descope, not in MLflow: sign-up, passwords, the admin flag and deleting a user happen in Descope (or on the portal's /admin page)";

/**
 * What the portal itself requires of a call before MLflow sees it. In `roles` mode the endpoint
 * table's level is the whole decision. In `mlflow` mode MLflow's RBAC decides per resource, and the
 * portal keeps only the coarse gate: signed in, READ for reads, EDIT (not MANAGE) for any change,
 * since an editor may own what they delete. Admin-only rows and unknown routes stay as strict as
 * in `roles` mode; the user lifecycle is Descope's and never reaches MLflow.
 */
export function portalGate(match: PermissionMatch, authz: 'roles' | 'mlflow'): PortalGate {
  if (match.authApp === 'users') return { kind: 'refuse', message: DESCOPE_OWNS_USERS };
  if (match.adminOnly) return { kind: 'decide', requirement: { permission: 'MANAGE', admin: true } };
  if (authz === 'roles' || match.endpoint === null) return { kind: 'decide', requirement: { permission: match.permission } };
  return { kind: 'decide', requirement: { permission: match.permission === 'MANAGE' ? 'EDIT' : match.permission } };
}
