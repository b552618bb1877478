import { NextResponse } from 'next/server';
import { decisionRequestFromFetch } from '@/lib/http/request-facts';
import { appendCookies, refusalAnswer, toResponse } from '@/lib/http/answers';
import { countedRoute, portalRuntime } from '@/lib/runtime';

/** Who the caller is, as the portal sees them (gate 2: decided again, not trusted from proxy.ts). */
export const GET = countedRoute(async (request: Request) => {
  const runtime = portalRuntime();
  const decision = await runtime.decide(decisionRequestFromFetch(request, runtime.config, '/auth/user'), { permission: 'NONE' });
  // An API route: a JSON 401 even for a browser, never a login redirect.
  if (decision.type === 'redirect')
    return toResponse(
      refusalAnswer({ type: 'deny', code: 'unauthenticated', message: 'sign in first', setCookies: decision.setCookies }, { accept: 'application/json' }),
    );
  if (decision.type === 'deny') return toResponse(refusalAnswer(decision, { accept: 'application/json' }));
  const { identity } = decision;
  const response = NextResponse.json(
    {
      userId: identity.userId,
      username: identity.username,
      email: identity.email,
      name: identity.name,
      roles: identity.roles,
      permissions: identity.permissions,
      tenants: identity.tenants,
      mlflowPermission: identity.mlflowPermission,
      isAdmin: identity.isAdmin,
    },
    { headers: { 'cache-control': 'no-store' } },
  );
  appendCookies(response.headers, decision.setCookies);
  return response;
});
