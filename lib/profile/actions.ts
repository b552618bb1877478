'use server';

import { revalidatePath } from 'next/cache';
import { requireUser } from '@/lib/auth/require-user';
import { getAuthDeps } from '@/lib/auth/runtime';
import { getManagement } from '@/lib/descope/management';
import { audit } from '@/lib/observability/audit';
import { createKeyFor, revokeKeyFor, type NewAccessKey } from '@/lib/profile/access-keys';
import { trackingUri } from '@/lib/profile/portal-origin';
import type { ActionResult } from '@/lib/admin/action-result';

// The owner is always the signed-in user from this request's session, never a field of the input.

export async function createAccessKey(input: unknown): Promise<ActionResult<NewAccessKey>> {
  const owner = await requireUser('/profile');
  const result = await createKeyFor(owner, input, await trackingUri(), { management: getManagement(), audit, now: Date.now });
  if (result.ok) revalidatePath('/profile');
  return result;
}

export async function revokeAccessKey(input: unknown): Promise<ActionResult<{ keyId: string }>> {
  const owner = await requireUser('/profile');
  const result = await revokeKeyFor(owner, input, {
    management: getManagement(),
    audit,
    now: Date.now,
    forgetKey: (keyId) => getAuthDeps().accessKeys.forgetKey(keyId),
  });
  if (result.ok) revalidatePath('/profile');
  return result;
}
