import { NextResponse } from 'next/server';
import { sessionTokensIn } from '@/lib/auth/session-cookies';
import { clearedSessionCookies } from '@/lib/auth/session-cookies';
import { isCrossSiteWrite } from '@/lib/auth/same-origin';
import { relativeRedirect } from '@/lib/auth/login-response';
import { decisionRequestFromFetch } from '@/lib/http/request-facts';
import { appendCookies, errorAnswer, toResponse } from '@/lib/http/answers';
import { signOutPage, wantsHtml } from '@/lib/errors';
import { countedRoute, portalRuntime } from '@/lib/runtime';

/**
 * Signing out is a same-origin POST: it revokes the refresh token at Descope, forgets what that
 * session produced on this instance, and clears the cookies whatever Descope said (a user who
 * asks to sign out is signed out of this browser even during an outage). A cross-site POST is
 * refused, so another site cannot end your session; a GET only asks (a page with the button).
 */
export const POST = countedRoute(async (request: Request) => {
  const runtime = portalRuntime();
  const facts = decisionRequestFromFetch(request, runtime.config, '/auth/logout');
  if (isCrossSiteWrite(facts)) {
    return toResponse(errorAnswer('forbidden', "sign-out must come from the portal's own pages", { accept: request.headers.get('accept') }));
  }
  const { revoked } = await runtime.signOut(sessionTokensIn(request.headers.get('cookie') ?? undefined));
  const response = wantsHtml(request.headers.get('accept')) ? relativeRedirect('/auth/login', 303) : NextResponse.json({ ok: true, revoked });
  appendCookies(response.headers, clearedSessionCookies(facts.secure));
  return response;
});

export const GET = countedRoute(async (request: Request) => {
  if (!wantsHtml(request.headers.get('accept'))) {
    return toResponse(errorAnswer('method_not_allowed', 'sign out with POST /auth/logout', { accept: 'application/json', extra: { allow: 'POST' } }));
  }
  return new Response(signOutPage(), { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
});
