import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { Requirement } from '@/lib/auth/decide';
import type { Identity } from '@/lib/auth/identity';
import { decisionRequestFromHeaders } from '@/lib/http/request-facts';
import { portalRuntime } from '@/lib/runtime';

export type Access = { ok: true; identity: Identity } | { ok: false; message: string; identity?: Identity };

/**
 * Gate 2: pages, server actions and handlers decide again from the request itself; proxy.ts is an
 * optimistic first check only. Unauthenticated users are sent to the login page.
 */
export async function checkAccess(requirement: Requirement, nextPath: string, method = 'GET'): Promise<Access> {
  const runtime = portalRuntime();
  const request = decisionRequestFromHeaders(await headers(), runtime.config, { method, pathWithQuery: nextPath });
  const decision = await runtime.decide(request, requirement);
  if (decision.type === 'allow') return { ok: true, identity: decision.identity };
  if (decision.type === 'deny' && decision.code !== 'unauthenticated') return { ok: false, message: decision.message, identity: decision.identity };
  redirect(`/auth/login?next=${encodeURIComponent(nextPath)}`);
}

export async function requireUser(nextPath = '/'): Promise<Identity> {
  const access = await checkAccess({ permission: 'NONE' }, nextPath);
  if (!access.ok) redirect(`/auth/login?error=${encodeURIComponent(access.message)}`);
  return access.identity;
}

/**
 * For server actions that manage credentials or roles: a browser session of this user (cookies
 * with a refresh token), never an access key or a bare bearer token, and a POST from the portal's
 * own pages (the cross-site check in decide). Refusals come back as data for the action to return.
 */
export async function requireInteractive(requirement: Omit<Requirement, 'interactive'>, nextPath: string): Promise<Access> {
  return checkAccess({ ...requirement, interactive: true }, nextPath, 'POST');
}
