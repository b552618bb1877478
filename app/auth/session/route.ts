import { z } from 'zod';
import { NextResponse } from 'next/server';
import { isCrossSiteWrite } from '@/lib/auth/same-origin';
import { safeNextPath } from '@/lib/auth/safe-next';
import { withFragment } from '@/lib/auth/next-fragment';
import { decisionRequestFromFetch } from '@/lib/http/request-facts';
import { appendCookies } from '@/lib/http/answers';
import { errorJson } from '@/lib/errors';
import { countedRoute, portalRuntime } from '@/lib/runtime';

const bodySchema = z.object({
  sessionJwt: z.string().min(1).max(16_384),
  refreshJwt: z.string().min(1).max(16_384),
  next: z.string().max(2048).optional(),
  fragment: z.string().max(1100).optional().catch(undefined),
});

/** The Descope flow's success lands here: the tokens become HttpOnly cookies set by the server. */
export const POST = countedRoute(async (request: Request) => {
  const runtime = portalRuntime();
  const decisionRequest = decisionRequestFromFetch(request, runtime.config, '/auth/session');
  if (isCrossSiteWrite(decisionRequest) || !request.headers.get('origin')) {
    return NextResponse.json(errorJson('forbidden', "sign-in must come from the portal's own login page"), { status: 403 });
  }
  const parsed = bodySchema.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) return NextResponse.json(errorJson('bad_request', 'expected JSON {sessionJwt, refreshJwt, next?, fragment?}'), { status: 400 });
  const established = await runtime.establishSession(parsed.data.sessionJwt, parsed.data.refreshJwt, decisionRequest.secure);
  if (!established.ok)
    return NextResponse.json(errorJson(established.reason === 'invalid' ? 'unauthenticated' : 'forbidden', established.message), {
      status: established.reason === 'invalid' ? 401 : 403,
    });
  const response = NextResponse.json({ ok: true, location: safeNextPath(withFragment(parsed.data.next, parsed.data.fragment), runtime.config.redirectPath) });
  appendCookies(response.headers, established.setCookies);
  return response;
});
