'use server';

import { revalidatePath } from 'next/cache';
import { adminActionGate, targetOf } from '@/lib/admin/gate';
import { changeRole, type RoleChangeData, type RoleOperation } from '@/lib/admin/change-role';
import type { ActionResult } from '@/lib/admin/action-result';
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
