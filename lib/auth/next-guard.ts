import { NextResponse, type NextRequest } from 'next/server';
import { requirementFor } from '@/lib/auth/route-access';
import { replaceSessionInCookieHeader } from '@/lib/auth/session-cookies';
import { decisionRequestFromFetch } from '@/lib/http/request-facts';
import { appendCookies, refusalAnswer, toResponse } from '@/lib/http/answers';
import { portalRuntime } from '@/lib/runtime';

/**
 * Gate 1 for portal pages and handlers (proxy.ts). An expired session is refreshed here, and the
 * fresh tokens are both set on the response and swapped into the request's Cookie header, so the
 * page rendered behind this gate (gate 2, requireUser) sees the new session in the same request.
 */
export async function guardPortalRequest(request: NextRequest): Promise<Response> {
  const { pathname, search } = request.nextUrl;
  const requirement = requirementFor(pathname);
  if (!requirement) return NextResponse.next();

  const runtime = portalRuntime();
  const decision = await runtime.decide(decisionRequestFromFetch(request, runtime.config, `${pathname}${search}`), requirement);
  if (decision.type !== 'allow') {
    // Next's proxy needs an absolute Location; PORTAL_PUBLIC_URL wins over the request's own host.
    const origin = (runtime.config.publicUrl ?? request.nextUrl).origin;
    return toResponse(refusalAnswer(decision, { accept: request.headers.get('accept'), origin }), request.method);
  }
  const headers = new Headers(request.headers);
  if (decision.refreshed) {
    headers.set(
      'cookie',
      replaceSessionInCookieHeader(request.headers.get('cookie') ?? undefined, decision.refreshed.sessionJwt, decision.refreshed.refreshJwt),
    );
  }
  const response = NextResponse.next({ request: { headers } });
  appendCookies(response.headers, decision.setCookies);
  return response;
}
