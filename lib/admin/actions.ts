'use server';

import { revalidatePath } from 'next/cache';
import { adminActionGate, targetOf } from '@/lib/admin/gate';
import { changeRole, type RoleChangeData, type RoleOperation } from '@/lib/admin/change-role';
import type { ActionResult } from '@/lib/admin/action-result';
import { revokeUserKey, setUserStatus } from '@/lib/admin/user-admin';
import type { DirectoryUser } from '@/lib/descope/management';
import { portalRuntime } from '@/lib/runtime';

// Each action checks admin on the server itself: hiding the Admin link is a convenience, not a control.

export async function grantRole(input: unknown): Promise<ActionResult<RoleChangeData>> {
  return runRoleChange('add', input);
}

export async function revokeRole(input: unknown): Promise<ActionResult<RoleChangeData>> {
  return runRoleChange('remove', input);
}

async function runRoleChange(operation: RoleOperation, input: unknown): Promise<ActionResult<RoleChangeData>> {
  const gate = await adminActionGate(`admin.role.${operation}`, targetOf(input));
  if (!gate.ok) return gate.result;
  const runtime = portalRuntime();
  const result = await changeRole(gate.actor, operation, input, { management: runtime.management, config: runtime.config, audit: runtime.audit.record });
  if (result.ok) {
    // This instance re-reads their roles at once; other instances within a 30 s refresh memo.
    runtime.forgetUser(result.data.user.userId);
    revalidatePath('/admin', 'layout');
  }
  return result;
}

/** Revokes one of another user's access keys (the admin role's "manages every key"). */
export async function revokeUserAccessKey(input: unknown): Promise<ActionResult<{ keyId: string }>> {
  const gate = await adminActionGate('admin.accesskey.revoke', targetOf(input));
  if (!gate.ok) return gate.result;
  const runtime = portalRuntime();
  const result = await revokeUserKey(gate.actor, input, { management: runtime.management, audit: runtime.audit.record, forgetKey: runtime.forgetKey });
  if (result.ok) revalidatePath('/admin', 'layout');
  return result;
}

export async function disableUser(input: unknown): Promise<ActionResult<{ user: DirectoryUser }>> {
  return runStatusChange('disabled', input);
}

export async function enableUser(input: unknown): Promise<ActionResult<{ user: DirectoryUser }>> {
  return runStatusChange('enabled', input);
}

async function runStatusChange(status: 'enabled' | 'disabled', input: unknown): Promise<ActionResult<{ user: DirectoryUser }>> {
  const gate = await adminActionGate(status === 'disabled' ? 'admin.user.disable' : 'admin.user.enable', targetOf(input));
  if (!gate.ok) return gate.result;
  const runtime = portalRuntime();
  const result = await setUserStatus(gate.actor, status, input, { management: runtime.management, audit: runtime.audit.record });
  if (result.ok) {
    // Their sessions and key exchanges on this instance are re-checked at their next request.
    runtime.forgetUser(result.data.user.userId);
    revalidatePath('/admin', 'layout');
  }
  return result;
}
