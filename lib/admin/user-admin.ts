import { z } from 'zod';
import type { Identity } from '@/lib/auth/identity';
import type { AuditEvent } from '@/lib/observability/audit';
import type { DirectoryUser, Management } from '@/lib/descope/management';
import { firstIssue, fromFailure, refused, succeeded, type ActionResult } from '@/lib/admin/action-result';
import { SESSION_LIFETIME } from '@/lib/admin/change-timing';

const loginId = z.string().trim().min(1).max(320);
export const userKeyInput = z.object({ loginId, keyId: z.string().trim().min(1).max(128) });
export const userStatusInput = z.object({ loginId });

export interface UserAdminDeps {
  management: Management | undefined;
  audit(event: AuditEvent): void;
}

const notConfigured = 'Managing users and keys needs DESCOPE_MANAGEMENT_KEY on the portal. Nothing was changed.';

const recorder = (actor: Identity, deps: UserAdminDeps, action: string, target: string) => (result: AuditEvent['result'], detail: string) =>
  deps.audit({ actorId: actor.userId, actor: actor.email || actor.username, action, target, result, detail });

/**
 * An admin revokes one of another user's access keys. The key must belong to that user (anything
 * else is "not found", as on /profile), and the attempt is audited against the user.
 */
export async function revokeUserKey(
  actor: Identity,
  raw: unknown,
  deps: UserAdminDeps & { forgetKey(keyId: string): void },
): Promise<ActionResult<{ keyId: string }>> {
  const parsed = userKeyInput.safeParse(raw);
  if (!parsed.success) return refused('bad_input', firstIssue(parsed.error.issues));
  const { management } = deps;
  if (!management) return refused('not_configured', notConfigured);
  const record = recorder(actor, deps, 'admin.accesskey.revoke', parsed.data.loginId);
  const user = await management.loadUser(parsed.data.loginId);
  if (!user.ok) {
    record('failure', `${parsed.data.keyId}: ${user.failure}`);
    return user.failure === 'not_found' ? refused('not_found', `There is no user ${parsed.data.loginId}.`) : fromFailure(user);
  }
  const revoked = await management.revokeKey(user.data.userId, parsed.data.keyId);
  if (!revoked.ok) {
    record(revoked.failure === 'not_found' ? 'denied' : 'failure', `${parsed.data.keyId}: ${revoked.failure}`);
    return revoked.failure === 'not_found'
      ? refused('not_found', `${user.data.name || user.data.loginId} has no access key with this id.`)
      : fromFailure(revoked);
  }
  deps.forgetKey(parsed.data.keyId);
  record('success', `"${revoked.data.name}" ${parsed.data.keyId}`);
  return succeeded(
    { keyId: parsed.data.keyId },
    `Revoked “${revoked.data.name}” of ${user.data.name || user.data.loginId}. Programs using it are refused by this portal instance from now on, by others within ${SESSION_LIFETIME}.`,
  );
}

/**
 * An admin disables (or enables again) a user. Disabling also ends their sessions at Descope; a
 * disabled user can neither sign in nor refresh, and their access keys are refused. Admins cannot
 * disable themselves: nobody would be left to undo it from this page.
 */
export async function setUserStatus(
  actor: Identity,
  status: 'enabled' | 'disabled',
  raw: unknown,
  deps: UserAdminDeps,
): Promise<ActionResult<{ user: DirectoryUser }>> {
  const parsed = userStatusInput.safeParse(raw);
  if (!parsed.success) return refused('bad_input', firstIssue(parsed.error.issues));
  const { management } = deps;
  if (!management) return refused('not_configured', notConfigured);
  const action = status === 'disabled' ? 'admin.user.disable' : 'admin.user.enable';
  const record = recorder(actor, deps, action, parsed.data.loginId);
  const user = await management.loadUser(parsed.data.loginId);
  if (!user.ok) {
    record('failure', user.failure);
    return user.failure === 'not_found' ? refused('not_found', `There is no user ${parsed.data.loginId}.`) : fromFailure(user);
  }
  const name = user.data.name || user.data.loginId;
  if (status === 'disabled' && user.data.userId === actor.userId) return refused('bad_input', 'You cannot disable your own account: ask another admin.');
  if (user.data.status === status) return succeeded({ user: user.data }, `${name} is already ${status}.`);
  const changed = await management.setStatus(user.data.loginId, status);
  if (!changed.ok) {
    record('failure', changed.failure);
    return fromFailure(changed);
  }
  if (status === 'enabled') {
    record('success', '');
    return succeeded({ user: changed.data }, `Enabled ${name}: they can sign in again, and their access keys work again.`);
  }
  record('success', '');
  const ended = await management.endSessions(user.data.loginId);
  recorder(actor, deps, 'admin.user.logout', parsed.data.loginId)(ended.ok ? 'success' : 'failure', `after disabling${ended.ok ? '' : ` (${ended.failure})`}`);
  return succeeded(
    { user: changed.data },
    `Disabled ${name}: they cannot sign in, and their access keys are refused. This portal instance refuses their next request; other instances within ${SESSION_LIFETIME}.${ended.ok ? '' : ` Ending their sessions failed (${ended.message}).`}`,
  );
}
