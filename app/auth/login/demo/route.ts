import { z } from 'zod';
import { loginError, loginResult } from '@/lib/auth/login-response';
import { withFragment } from '@/lib/auth/next-fragment';
import { isCrossSiteWrite } from '@/lib/auth/same-origin';
import { decisionRequestFromFetch } from '@/lib/http/request-facts';
import { demoSession } from '@/lib/demo-sign-in';
import { countedRoute, portalRuntime } from '@/lib/runtime';

const formSchema = z.object({
  loginId: z.string().trim().min(1).max(320),
  next: z.string().max(2048).nullable(),
  fragment: z.string().max(1100).nullable().catch(null),
});

/** Emulator mode only: signs in as a demo user with a real, emulator-issued Descope session. */
export const POST = countedRoute(async (request: Request) => {
  const runtime = portalRuntime();
  const form = await request.formData().catch(() => undefined);
  const parsed = formSchema.safeParse({ loginId: form?.get('loginId'), next: form?.get('next') ?? null, fragment: form?.get('fragment') ?? null });
  const next = parsed.success ? (withFragment(parsed.data.next, parsed.data.fragment) ?? null) : null;
  const decisionRequest = decisionRequestFromFetch(request, runtime.config, '/auth/login/demo');
  if (!runtime.config.emulatorMode) return loginError('demo sign-in is only available with the local Descope emulator', next);
  if (isCrossSiteWrite(decisionRequest)) return loginError('sign-in must come from this page', next);
  if (!parsed.success) return loginError('choose a demo user to sign in as', next);
  let tokens;
  try {
    tokens = await demoSession(runtime.config, parsed.data.loginId);
  } catch {
    return loginError('the local Descope emulator is not answering; is `npm run emulator` running?', next);
  }
  if (!tokens) return loginError(`there is no demo user "${parsed.data.loginId}"`, next);
  return loginResult(await runtime.establishSession(tokens.sessionJwt, tokens.refreshJwt, decisionRequest.secure), next, runtime.config.redirectPath);
});
