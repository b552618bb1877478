import { NextResponse, type NextRequest } from 'next/server';
import { errorPayload } from '@/lib/errors';
import { decide, type DecisionRequest } from '@/lib/auth/decide';
import { requirementFor } from '@/lib/auth/route-access';
import { replaceSessionInCookieHeader } from '@/lib/auth/session-cookies';
import { isSecure } from '@/lib/gateway/decision-request';
import { getConfig } from '@/lib/config';
import { getAuthDeps } from '@/lib/auth/runtime';

export function decisionRequestFromNext(request: Request, pathWithQuery: string): DecisionRequest {
  return {
    method: request.method,
    pathWithQuery,
    header: (name) => request.headers.get(name) ?? undefined,
    secure: isSecure(getConfig(), new URL(request.url).protocol === 'https:', request.headers.get('x-forwarded-proto') ?? undefined),
  };
}

/**
 * Gate 1 for portal pages and handlers (proxy.ts). An expired session is refreshed here, and the
 * fresh tokens are both set on the response and swapped into the request's Cookie header, so the
 * page rendered behind this gate (gate 2, requireUser) sees the new session in the same request.
 */
export async function guardPortalRequest(request: NextRequest): Promise<NextResponse> {
  const { pathname, search } = request.nextUrl;
  const requirement = requirementFor(pathname);
  if (!requirement) return NextResponse.next();

  const decision = await decide(decisionRequestFromNext(request, `${pathname}${search}`), requirement, getAuthDeps());
  let response: NextResponse;
  if (decision.type === 'allow') {
    const headers = new Headers(request.headers);
    if (decision.refreshed) {
      headers.set('cookie', replaceSessionInCookieHeader(request.headers.get('cookie') ?? undefined, decision.refreshed.sessionJwt, decision.refreshed.refreshJwt));
    }
    response = NextResponse.next({ request: { headers } });
  } else if (decision.type === 'redirect') {
    // Next's proxy needs an absolute Location; PORTAL_PUBLIC_URL wins over the request's own host.
    response = NextResponse.redirect(new URL(decision.location, getConfig().publicUrl ?? request.nextUrl.origin), 302);
  } else {
    const { status, headers, body } = errorPayload(decision.code, decision.message, request.headers.get('accept'));
    response = new NextResponse(body, { status, headers });
  }
  for (const cookie of decision.setCookies) response.headers.append('set-cookie', cookie);
  return response;
}
