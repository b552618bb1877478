import type { ErrorCode } from '@/lib/errors';
import { wantsHtml } from '@/lib/errors';
import type { Identity } from '@/lib/auth/identity';
import { permits, type Permission } from '@/lib/auth/permission';
import { readCredentials } from '@/lib/auth/credentials';
import { authenticate, type AuthDeps, type AuthOutcome } from '@/lib/auth/authenticate';
import type { RefreshedSession } from '@/lib/auth/refresh-session';
import { clearedConflictingCookies, clearedSessionCookies, sessionCookies } from '@/lib/auth/session-cookies';
import { isCrossSiteWrite } from '@/lib/auth/same-origin';
import { resolveWorkspace, WORKSPACE_HEADER, type ActiveWorkspace } from '@/lib/auth/workspace-access';

/** The parts of a request the decision depends on; built in one place (lib/http/request-facts.ts). */
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
  /**
   * Only a browser session will do: cookies with a refresh token of the same user. Managing
   * credentials and roles needs this, so a leaked access key cannot mint keys or grant roles.
   */
  interactive?: boolean;
  /**
   * A call into MLflow's data: with PORTAL_WORKSPACES=tenants it runs in one workspace (named by
   * X-MLFLOW-WORKSPACE, else the caller's first), and the level checked is the caller's there.
   */
  workspaced?: boolean;
}

export type Decision =
  | { type: 'allow'; identity: Identity; refreshed: RefreshedSession | undefined; setCookies: string[]; workspace?: ActiveWorkspace }
  | { type: 'redirect'; location: string; setCookies: string[] }
  /** `identity` is set when the caller was authenticated but is not allowed (for the audit trail). */
  | { type: 'deny'; code: ErrorCode; message: string; setCookies: string[]; identity?: Identity };

/**
 * The one auth decision: authenticate, refuse cross-site cookie writes, then check the required
 * level. Unauthenticated browsers navigating are sent to the login page; everyone else gets the
 * error (401 JSON for API clients, so the mlflow client never parses a login page).
 */
export async function decide(request: DecisionRequest, requirement: Requirement, deps: AuthDeps): Promise<Decision> {
  const credentials = readCredentials(request.header('authorization'), request.header('cookie'));
  if (credentials.kind === 'cookies' && isCrossSiteWrite(request)) {
    return deny('forbidden', "cross-site request refused: this write did not come from the portal's own pages");
  }
  const outcome = await authenticate(credentials, deps);
  if (!outcome.ok) {
    const setCookies = clearingCookies(outcome, request);
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
  let workspace: ActiveWorkspace | undefined;
  if (requirement.workspaced && deps.config.workspaces) {
    const resolved = resolveWorkspace(identity, request.header(WORKSPACE_HEADER), deps.config);
    if (!resolved.ok) return deny(resolved.code, resolved.message, setCookies, identity);
    workspace = resolved.active;
  }
  const refusal = refusalFor(requirement, identity, { interactive: outcome.interactive, workspace });
  if (refusal) return deny('forbidden', refusal, setCookies, identity);
  return workspace ? { type: 'allow', identity, refreshed, setCookies, workspace } : { type: 'allow', identity, refreshed, setCookies };
}

/** Why an authenticated caller does not meet `requirement`, or undefined when they do. */
function refusalFor(requirement: Requirement, identity: Identity, facts: { interactive: boolean; workspace: ActiveWorkspace | undefined }): string | undefined {
  if (requirement.interactive && !facts.interactive) {
    return 'this needs a signed-in browser session: access keys and bearer tokens cannot manage keys or roles';
  }
  // In a workspace, the caller's level there; elsewhere their project-wide level.
  const level = facts.workspace ? facts.workspace.permission : identity.mlflowPermission;
  const where = facts.workspace ? ` in workspace ${facts.workspace.name}` : '';
  // Requirement NONE means "any signed-in user" (e.g. /auth/user, so a user can see why they have no access).
  if (requirement.permission !== 'NONE' && level === 'NONE' && !identity.isAdmin) {
    return 'your account has no MLflow access: no role of yours maps to a permission. Ask an admin for a role such as mlflow-reader';
  }
  if (requirement.admin && !identity.isAdmin) return 'this page is for admins only';
  if (!permits(level, requirement.permission)) {
    return `this needs ${requirement.permission} permission${where}; yours is ${level}`;
  }
  return undefined;
}

function clearingCookies(outcome: Extract<AuthOutcome, { ok: false }>, request: DecisionRequest): string[] {
  if (outcome.clearCookies === 'conflict') return clearedConflictingCookies(request.pathWithQuery, request.secure);
  return outcome.clearCookies === 'session' ? clearedSessionCookies(request.secure) : [];
}

export function loginLocation(next: string): string {
  return `/auth/login?next=${encodeURIComponent(next)}`;
}

function deny(code: ErrorCode, message: string, setCookies: string[] = [], identity?: Identity): Decision {
  return identity ? { type: 'deny', code, message, setCookies, identity } : { type: 'deny', code, message, setCookies };
}
