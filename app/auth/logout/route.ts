import { NextResponse } from 'next/server';
import { parseCookieHeader, REFRESH_COOKIE } from '@/lib/auth/credentials';
import { clearedSessionCookies } from '@/lib/auth/session-cookies';
import { decisionRequestFromNext } from '@/lib/auth/next-guard';
import { relativeRedirect } from '@/lib/auth/login-response';
import { descopeAuth } from '@/lib/descope/client';
import { wantsHtml } from '@/lib/errors';
import { log } from '@/lib/observability/log';

/**
 * Revokes the refresh token at Descope, then clears the cookies whatever Descope said: a user who
 * asks to sign out is signed out of this browser even during a Descope outage.
 */
async function logout(request: Request) {
  const refreshJwt = parseCookieHeader(request.headers.get('cookie') ?? undefined).get(REFRESH_COOKIE);
  let revoked = false;
  if (refreshJwt) {
    try {
      revoked = (await descopeAuth().logout(refreshJwt)).ok;
    } catch {
      revoked = false;
    }
    if (!revoked) log('warn', 'logout.revoke_failed', { reason: 'Descope did not confirm the refresh token revocation' });
  }
  const { secure } = decisionRequestFromNext(request, '/auth/logout');
  const response = wantsHtml(request.headers.get('accept'))
    ? relativeRedirect('/auth/login', 303)
    : NextResponse.json({ ok: true, revoked });
  for (const cookie of clearedSessionCookies(secure)) response.headers.append('set-cookie', cookie);
  return response;
}

export const GET = logout;
export const POST = logout;
