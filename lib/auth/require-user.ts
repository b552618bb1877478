import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { decide, type Requirement } from '@/lib/auth/decide';
import type { Identity } from '@/lib/auth/identity';
import { getAuthDeps } from '@/lib/auth/runtime';
import { isSecure } from '@/lib/gateway/decision-request';
import { getConfig } from '@/lib/config';

export type Access = { ok: true; identity: Identity } | { ok: false; message: string };

/**
 * Gate 2: pages, server actions and handlers decide again from the request itself; proxy.ts is an
 * optimistic first check only. Unauthenticated users are sent to the login page.
 */
export async function checkAccess(requirement: Requirement, nextPath: string): Promise<Access> {
  const requestHeaders = await headers();
  const decision = await decide(
    {
      method: 'GET',
      pathWithQuery: nextPath,
      header: (name) => requestHeaders.get(name) ?? undefined,
      secure: isSecure(getConfig(), false, requestHeaders.get('x-forwarded-proto') ?? undefined),
    },
    requirement,
    getAuthDeps(),
  );
  if (decision.type === 'allow') return { ok: true, identity: decision.identity };
  if (decision.type === 'deny' && decision.code !== 'unauthenticated') return { ok: false, message: decision.message };
  redirect(`/auth/login?next=${encodeURIComponent(nextPath)}`);
}

export async function requireUser(nextPath = '/'): Promise<Identity> {
  const access = await checkAccess({ permission: 'NONE' }, nextPath);
  if (!access.ok) redirect(`/auth/login?error=${encodeURIComponent(access.message)}`);
  return access.identity;
}

/** For server actions: throws instead of redirecting, so an action called directly gets a 403-like error. */
export async function requireAdmin(nextPath = '/admin'): Promise<Identity> {
  const access = await checkAccess({ permission: 'NONE', admin: true }, nextPath);
  if (!access.ok) throw new Error(access.message);
  return access.identity;
}
