import { NextResponse } from 'next/server';
import { decide } from '@/lib/auth/decide';
import { decisionRequestFromNext } from '@/lib/auth/next-guard';
import { getAuthDeps } from '@/lib/auth/runtime';
import { errorResponse } from '@/lib/errors';

/** Who the caller is, as the portal sees them (gate 2: decided again, not trusted from proxy.ts). */
export async function GET(request: Request) {
  const decision = await decide(decisionRequestFromNext(request, '/auth/user'), { permission: 'NONE' }, getAuthDeps());
  if (decision.type !== 'allow') {
    const code = decision.type === 'deny' ? decision.code : 'unauthenticated';
    const message = decision.type === 'deny' ? decision.message : 'sign in first';
    return errorResponse(code, message, 'application/json', decision.type === 'deny' ? decision.setCookies : []);
  }
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
  for (const cookie of decision.setCookies) response.headers.append('set-cookie', cookie);
  return response;
}
