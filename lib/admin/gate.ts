import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import type { Identity } from '@/lib/auth/identity';
import { checkAccess, requireAdmin, requireUser } from '@/lib/auth/require-user';
import { audit } from '@/lib/observability/audit';
import { refused, type ActionResult } from '@/lib/admin/action-result';

export type Gate = { ok: true; actor: Identity } | { ok: false; result: ActionResult<never> };

/**
 * Gate 2 for admin server actions: decided again from this request, whatever page the action was
 * posted from. A refusal is audited with who tried, and answered as a typed `forbidden` result;
 * Next's redirect to the login page (no session at all) passes through untouched.
 */
export async function adminActionGate(action: string, target: string): Promise<Gate> {
  const caller = await requireUser('/admin');
  try {
    return { ok: true, actor: await requireAdmin('/admin') };
  } catch (error) {
    unstable_rethrow(error);
    audit({ actorId: caller.userId, actor: caller.email || caller.username, action, target, result: 'denied', detail: 'not an admin' });
    return { ok: false, result: refused('forbidden', 'Only admins can change roles. Nothing was changed.') };
  }
}

/** Gate 2 for admin pages: layouts do not guard their pages, so every admin page asks itself. */
export async function adminPageAccess(path: string) {
  return checkAccess({ permission: 'NONE', admin: true }, path);
}

/** A loose target for audit lines of refused calls, whose input has not been validated yet. */
export function targetOf(input: unknown): string {
  const loginId = typeof input === 'object' && input !== null ? (input as { loginId?: unknown }).loginId : undefined;
  return typeof loginId === 'string' ? loginId.slice(0, 320) : '(unknown)';
}
