import type { Config } from '@/lib/config';
import type { Credentials } from '@/lib/auth/credentials';
import type { Identity } from '@/lib/auth/identity';
import { InvalidTokenError, looksLikeJwt, type JwtVerifier } from '@/lib/auth/jwt';
import { identityFromClaims } from '@/lib/auth/identity-from-claims';
import { RefreshRejectedError, type RefreshedSession, type SessionRefresher } from '@/lib/auth/refresh-session';
import { AccessKeyRejectedError, type AccessKeyExchanger } from '@/lib/auth/access-keys';
import type { RoleChanges } from '@/lib/auth/role-changes';
import { DescopeUnavailableError } from '@/lib/descope/resilient-fetch';

export interface AuthDeps {
  config: Config;
  verifier: JwtVerifier;
  refresher: SessionRefresher;
  accessKeys: AccessKeyExchanger;
  /** Users whose roles changed through this instance: their older sessions are refreshed first. */
  roleChanges?: RoleChanges;
}

export type AuthOutcome =
  | {
      ok: true;
      identity: Identity;
      refreshed: RefreshedSession | undefined;
      /** A browser session: cookies carrying a refresh token of the same user (no key, no bare bearer token). */
      interactive: boolean;
    }
  | {
      ok: false;
      code: 'unauthenticated' | 'descope_unavailable';
      message: string;
      /** The presented cookies are dead ('session') or ambiguous ('conflict'): the response clears them. */
      clearCookies: false | 'session' | 'conflict';
    };

/** Turns credentials into an identity. Never throws: every failure is an outcome. */
export async function authenticate(credentials: Credentials, deps: AuthDeps): Promise<AuthOutcome> {
  try {
    switch (credentials.kind) {
      case 'none':
        return failure('unauthenticated', 'sign in, or send "Authorization: Bearer <Descope access key or session token>"', false);
      case 'malformed':
        return failure('unauthenticated', credentials.reason, false);
      case 'conflicting-cookies':
        return failure(
          'unauthenticated',
          'this browser sent two different portal sessions (one was set by another page); they were cleared: sign in again',
          'conflict',
        );
      case 'token':
        return await fromToken(credentials.token, deps);
      case 'cookies':
        return await fromCookies(credentials.session, credentials.refresh, deps);
    }
  } catch (error) {
    if (error instanceof DescopeUnavailableError) {
      return failure('descope_unavailable', 'Descope cannot be reached to confirm your sign-in; try again shortly', false);
    }
    // A program holding an access key cannot "sign in again": its message says what to do instead.
    if (error instanceof AccessKeyRejectedError) return failure('unauthenticated', error.message, false);
    if (error instanceof InvalidTokenError || error instanceof RefreshRejectedError) {
      return failure('unauthenticated', `${error.message}; sign in again`, credentials.kind === 'cookies' ? 'session' : false);
    }
    throw error;
  }
}

async function fromToken(token: string, deps: AuthDeps): Promise<AuthOutcome> {
  // A session JWT seen before skips the header decoding looksLikeJwt does: it is one.
  const claims = deps.verifier.peek(token, 'session') ?? (looksLikeJwt(token) ? await deps.verifier.verify(token, 'session') : undefined);
  if (claims) {
    if (deps.roleChanges?.predates(claims)) throw new InvalidTokenError('this session token was issued before an admin changed your roles: get a new one');
    return success(identityFromClaims(claims, deps.config, 'bearer-session'));
  }
  const session = await deps.accessKeys.sessionFor(token);
  return success(identityFromClaims(session.claims, deps.config, 'access-key'));
}

async function fromCookies(session: string | undefined, refresh: string | undefined, deps: AuthDeps): Promise<AuthOutcome> {
  if (session) {
    let claims;
    try {
      claims = await deps.verifier.verify(session, 'session');
    } catch (error) {
      // An expired (or otherwise unusable) session with a refresh token gets one refresh attempt.
      if (!(error instanceof InvalidTokenError) || !refresh) throw error;
    }
    if (claims && deps.roleChanges?.predates(claims)) {
      // Issued before an admin changed this user's roles here: refresh it for the current ones.
      if (!refresh) throw new InvalidTokenError('your roles changed since this session began');
      claims = undefined;
    }
    if (claims) {
      const identity = identityFromClaims(claims, deps.config, 'cookie');
      return { ok: true, identity, refreshed: undefined, interactive: refresh !== undefined && (await sameUserRefresh(refresh, identity.userId, deps)) };
    }
  }
  if (!refresh) return failure('unauthenticated', 'your session has ended; sign in again', 'session');
  const refreshed = await deps.refresher.refresh(refresh);
  return { ok: true, identity: identityFromClaims(refreshed.claims, deps.config, 'cookie'), refreshed, interactive: true };
}

/** Whether `refresh` is a live refresh token of `userId` (verified locally, cached like any token). */
async function sameUserRefresh(refresh: string, userId: string, deps: AuthDeps): Promise<boolean> {
  try {
    return (await deps.verifier.verify(refresh, 'refresh')).sub === userId;
  } catch {
    return false;
  }
}

const success = (identity: Identity): AuthOutcome => ({ ok: true, identity, refreshed: undefined, interactive: false });
const failure = (code: 'unauthenticated' | 'descope_unavailable', message: string, clearCookies: false | 'session' | 'conflict'): AuthOutcome => ({
  ok: false,
  code,
  message,
  clearCookies,
});
