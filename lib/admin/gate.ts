import 'server-only';
import { checkAccess, requireInteractive } from '@/lib/auth/require-user';
import type { Identity } from '@/lib/auth/identity';
import { refused, type ActionResult } from '@/lib/admin/action-result';
import { portalRuntime } from '@/lib/runtime';

export type Gate = { ok: true; actor: Identity } | { ok: false; result: ActionResult<never> };

/**
 * Gate 2 for server actions that change roles or credentials: decided again from this request,
 * whatever page the action was posted from, and only for a browser session (an access key or a
 * bearer token is refused, so a leaked key cannot mint keys or grant roles). A refusal is audited
 * with who tried and why; Next's redirect to the login page (no session at all) passes through.
 */
export async function actionGate(action: string, target: string, requirement: { admin?: boolean; nextPath: string }): Promise<Gate> {
  const access = await requireInteractive({ permission: 'NONE', admin: requirement.admin }, requirement.nextPath);
  if (access.ok) return { ok: true, actor: access.identity };
  const caller = access.identity;
  portalRuntime().audit.record({
    actorId: caller?.userId ?? '',
    actor: caller ? caller.email || caller.username : 'unknown',
    action,
    target,
    result: 'denied',
    detail: access.message,
  });
  return { ok: false, result: refused('forbidden', `${capitalise(access.message)}. Nothing was changed.`) };
}

export const adminActionGate = (action: string, target: string) => actionGate(action, target, { admin: true, nextPath: '/admin' });

/** Gate 2 for admin pages: layouts do not guard their pages, so every admin page asks itself. */
export async function adminPageAccess(path: string) {
  return checkAccess({ permission: 'NONE', admin: true, interactive: true }, path);
}

/** A loose target for audit lines of refused calls, whose input has not been validated yet. */
export function targetOf(input: unknown): string {
  const loginId = typeof input === 'object' && input !== null ? (input as { loginId?: unknown }).loginId : undefined;
  return typeof loginId === 'string' ? loginId.slice(0, 320) : '(unknown)';
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
