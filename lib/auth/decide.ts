import type { ErrorCode } from '@/lib/errors';
import { wantsHtml } from '@/lib/errors';
import type { Identity } from '@/lib/auth/identity';
import { permits, type Permission } from '@/lib/auth/permission';
import { readCredentials } from '@/lib/auth/credentials';
import { authenticate, type AuthDeps } from '@/lib/auth/authenticate';
import type { RefreshedSession } from '@/lib/auth/refresh-session';
import { clearedSessionCookies, sessionCookies } from '@/lib/auth/session-cookies';
import { isCrossSiteWrite } from '@/lib/auth/same-origin';

/** The parts of a request the decision depends on; server.ts, proxy.ts and handlers all fill it in. */
export interface DecisionRequest {
  method: string;
  /** Path and query as the client sent them, for the post-login `next`. */
  pathWithQuery: string;
  header(name: string): string | undefined;
  /** Whether cookies we set must be Secure (https in front of the portal). */
  secure: boolean;
}

export interface Requirement {
  permission: Permission;
  admin?: boolean;
}

export type Decision =
  | { type: 'allow'; identity: Identity; refreshed: RefreshedSession | undefined; setCookies: string[] }
  | { type: 'redirect'; location: string; setCookies: string[] }
  | { type: 'deny'; code: ErrorCode; message: string; setCookies: string[] };

/**
 * The one auth decision: authenticate, refuse cross-site cookie writes, then check the required
 * level. Unauthenticated browsers navigating are sent to the login page; everyone else gets the
 * error (401 JSON for API clients, so the mlflow client never parses a login page).
 */
export async function decide(request: DecisionRequest, requirement: Requirement, deps: AuthDeps): Promise<Decision> {
  const credentials = readCredentials(request.header('authorization'), request.header('cookie'));
  if (credentials.kind === 'cookies' && isCrossSiteWrite(request)) {
    return deny('forbidden', 'cross-site request refused: this write did not come from the portal\'s own pages');
  }
  const outcome = await authenticate(credentials, deps);
  if (!outcome.ok) {
    const setCookies = outcome.clearCookies ? clearedSessionCookies(request.secure) : [];
    const navigating = (request.method === 'GET' || request.method === 'HEAD') && wantsHtml(request.header('accept'));
    if (outcome.code === 'unauthenticated' && navigating) {
      return { type: 'redirect', location: loginLocation(request.pathWithQuery), setCookies };
    }
    return { type: 'deny', code: outcome.code, message: outcome.message, setCookies };
  }
  const { identity, refreshed } = outcome;
  const setCookies = refreshed
    ? sessionCookies(refreshed.sessionJwt, refreshed.refreshJwt, {
        secure: request.secure,
        maxAgeSeconds: (refreshed.refreshExpiresAt - Date.now()) / 1000,
      })
    : [];
  // Requirement NONE means "any signed-in user" (e.g. /auth/user, so a user can see why they have no access).
  if (requirement.permission !== 'NONE' && identity.mlflowPermission === 'NONE' && !identity.isAdmin) {
    return deny('forbidden', 'your account has no MLflow access: no role of yours maps to a permission. Ask an admin for a role such as mlflow-reader', setCookies);
  }
  if (requirement.admin && !identity.isAdmin) return deny('forbidden', 'this page is for admins only', setCookies);
  if (!permits(identity.mlflowPermission, requirement.permission)) {
    return deny('forbidden', `this needs ${requirement.permission} permission; yours is ${identity.mlflowPermission}`, setCookies);
  }
  return { type: 'allow', identity, refreshed, setCookies };
}

export function loginLocation(next: string): string {
  return `/auth/login?next=${encodeURIComponent(next)}`;
}

function deny(code: ErrorCode, message: string, setCookies: string[] = []): Decision {
  return { type: 'deny', code, message, setCookies };
}
