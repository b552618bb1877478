'use server';

import { revalidatePath } from 'next/cache';
import { getConfig } from '@/lib/config';
import { forgetUserSessions } from '@/lib/auth/runtime';
import { getManagement } from '@/lib/descope/management';
import { audit } from '@/lib/observability/audit';
import { adminActionGate, targetOf } from '@/lib/admin/gate';
import { changeRole, type RoleChangeData, type RoleOperation } from '@/lib/admin/change-role';
import type { ActionResult } from '@/lib/admin/action-result';

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
  const result = await changeRole(gate.actor, operation, input, { management: getManagement(), config: getConfig(), audit });
  if (result.ok) {
    // This instance re-reads their roles at once; other instances within a 30 s refresh memo.
    forgetUserSessions(result.data.user.userId);
    revalidatePath('/admin', 'layout');
  }
  return result;
}
