import { NextResponse } from 'next/server';
import { safeNextPath } from '@/lib/auth/safe-next';
import type { Established } from '@/lib/auth/establish-session';
import { appendCookies } from '@/lib/http/answers';

/** Where a finished login goes: the safe `next` path with the cookies, or back to login with the reason. */
export function loginResult(established: Established, next: string | null, redirectPath: string): NextResponse {
  if (!established.ok) return loginError(established.message, next);
  const response = relativeRedirect(safeNextPath(next, redirectPath));
  appendCookies(response.headers, established.setCookies);
  return response;
}

export function loginError(message: string, next: string | null): NextResponse {
  const params = new URLSearchParams({ error: message });
  const safe = safeNextPath(next, '');
  if (safe) params.set('next', safe);
  return relativeRedirect(`/auth/login?${params}`);
}

/** A same-origin redirect by path: no absolute URL built from a client-controlled Host header. */
export function relativeRedirect(path: string, status = 303): NextResponse {
  return new NextResponse(null, { status, headers: { location: path, 'cache-control': 'no-store' } });
}
