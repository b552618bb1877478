import { z } from 'zod';
import type { Config } from '@/lib/config';
import type { Identity } from '@/lib/auth/identity';
import type { AuditEvent } from '@/lib/observability/audit';
import type { DirectoryUser, Management, Outcome } from '@/lib/descope/management';
import { accessOf, withoutRole, type EffectiveAccess } from '@/lib/admin/effective-access';
import { firstIssue, fromFailure, refused, succeeded, type ActionResult } from '@/lib/admin/action-result';
import { ROLE_CHANGE_TIMING } from '@/lib/admin/change-timing';

export const roleChangeInput = z.object({
  loginId: z.string().trim().min(1).max(320),
  role: z.string().trim().min(1).max(128),
  tenantId: z
    .string()
    .trim()
    .max(128)
    .optional()
    .transform((id) => id || undefined),
  /** Set after the admin confirmed removing their own last admin role. */
  confirmed: z.boolean().default(false),
});

export type RoleChangeInput = z.input<typeof roleChangeInput>;
export type RoleOperation = 'add' | 'remove';
export interface RoleChangeData {
  user: DirectoryUser;
  access: EffectiveAccess;
}

export interface RoleChangeDeps {
  management: Management | undefined;
  config: Pick<Config, 'adminRoles' | 'editorRoles' | 'readerRoles' | 'defaultPermission' | 'tenantId'>;
  audit(event: AuditEvent): void;
}

const holds = (user: DirectoryUser, role: string, tenantId: string | undefined) =>
  tenantId ? (user.tenants.find((tenant) => tenant.tenantId === tenantId)?.roles.includes(role) ?? false) : user.roles.includes(role);

/**
 * Adds or removes one role (project-level, or in one tenant) for one user. The caller has already
 * been checked as an admin. The role and tenant must exist in the project, removing your own last
 * admin role needs `confirmed`, and every attempt that reaches Descope is audited with its result.
 * A removal also ends the user's sessions through Descope's management API.
 */
export async function changeRole(actor: Identity, operation: RoleOperation, raw: unknown, deps: RoleChangeDeps): Promise<ActionResult<RoleChangeData>> {
  const parsed = roleChangeInput.safeParse(raw);
  if (!parsed.success) return refused('bad_input', firstIssue(parsed.error.issues));
  const { loginId, role, tenantId, confirmed } = parsed.data;
  const { management, config } = deps;
  const scope = tenantId ? `${role} in tenant ${tenantId}` : `${role} (project)`;
  const record = (result: AuditEvent['result'], detail: string) =>
    deps.audit({ actorId: actor.userId, actor: actor.email || actor.username, action: `admin.role.${operation}`, target: loginId, result, detail });

  if (!management) {
    record('failure', `${scope} (not_configured)`);
    return refused('not_configured', 'Role changes need DESCOPE_MANAGEMENT_KEY on the portal. Nothing was changed.');
  }
  const [roles, tenants, loaded] = await Promise.all([management.listRoles(), tenantId ? management.listTenants() : undefined, management.loadUser(loginId)]);
  const failed = (outcome: Extract<Outcome<unknown>, { ok: false }>): ActionResult<RoleChangeData> => {
    record('failure', `${scope} (${outcome.failure})`);
    return outcome.failure === 'not_found' ? refused('not_found', `There is no user ${loginId}.`) : fromFailure(outcome);
  };
  if (!roles.ok) return failed(roles);
  if (tenants && !tenants.ok) return failed(tenants);
  if (!loaded.ok) return failed(loaded);
  if (!roles.data.some((known) => known.name === role)) return refused('bad_input', `The project has no role named ${role}.`);
  if (tenants?.ok && !tenants.data.some((tenant) => tenant.id === tenantId)) return refused('bad_input', `The project has no tenant ${tenantId}.`);

  const user = loaded.data;
  const name = user.name || user.email || user.loginId;
  if (operation === 'add' && holds(user, role, tenantId)) return succeeded({ user, access: accessOf(user, config) }, `${name} already has ${scope}.`);
  if (operation === 'remove' && !holds(user, role, tenantId)) return succeeded({ user, access: accessOf(user, config) }, `${name} does not have ${scope}.`);
  if (operation === 'remove' && user.userId === actor.userId && !confirmed && !accessOf(withoutRole(user, role, tenantId), config).isAdmin) {
    return refused('confirm_required', `Removing ${role} takes away your own admin access: you will not be able to open /admin or undo this yourself.`);
  }

  const changed = await management.changeRole({ operation, loginId: user.loginId, role, tenantId });
  if (!changed.ok) {
    record('failure', `${scope} (${changed.failure})`);
    return fromFailure(changed);
  }
  const access = accessOf(changed.data, config);
  if (operation === 'add') {
    record('success', scope);
    return succeeded(
      { user: changed.data, access },
      `Granted ${scope} to ${name}. Their MLflow permission is now ${access.permission}: ${ROLE_CHANGE_TIMING.grant}`,
    );
  }
  record('success', scope);
  // A removal also ends their sessions at Descope, so no instance can refresh the old roles back.
  const ended = await management.endSessions(user.loginId);
  deps.audit({
    actorId: actor.userId,
    actor: actor.email || actor.username,
    action: 'admin.user.logout',
    target: loginId,
    result: ended.ok ? 'success' : 'failure',
    detail: `after removing ${scope}${ended.ok ? '' : ` (${ended.failure})`}`,
  });
  const sessions = ended.ok
    ? `Their sessions were ended: ${ROLE_CHANGE_TIMING.removal}`
    : `Ending their sessions failed (${ended.message}): ${ROLE_CHANGE_TIMING.removalWithoutLogout}`;
  return succeeded({ user: changed.data, access }, `Removed ${scope} from ${name}. Their MLflow permission is now ${access.permission}. ${sessions}`);
}
