'use server';

import { revalidatePath } from 'next/cache';
import { actionGate } from '@/lib/admin/gate';
import { createKeyFor, revokeKeyFor, type NewAccessKey } from '@/lib/profile/access-keys';
import { trackingUri } from '@/lib/profile/portal-origin';
import type { ActionResult } from '@/lib/admin/action-result';
import { portalRuntime } from '@/lib/runtime';

// The owner is always the signed-in user of this request's browser session, never a field of the
// input, and never a program: an access key cannot mint or revoke keys (see actionGate).

export async function createAccessKey(input: unknown): Promise<ActionResult<NewAccessKey>> {
  const gate = await actionGate('accesskey.create', '(self)', { nextPath: '/profile' });
  if (!gate.ok) return gate.result;
  const runtime = portalRuntime();
  const result = await createKeyFor(gate.actor, input, await trackingUri(), { management: runtime.management, audit: runtime.audit.record, now: Date.now });
  if (result.ok) revalidatePath('/profile');
  return result;
}

export async function revokeAccessKey(input: unknown): Promise<ActionResult<{ keyId: string }>> {
  const gate = await actionGate('accesskey.revoke', '(self)', { nextPath: '/profile' });
  if (!gate.ok) return gate.result;
  const runtime = portalRuntime();
  const result = await revokeKeyFor(gate.actor, input, {
    management: runtime.management,
    audit: runtime.audit.record,
    now: Date.now,
    forgetKey: runtime.forgetKey,
  });
  if (result.ok) revalidatePath('/profile');
  return result;
}
