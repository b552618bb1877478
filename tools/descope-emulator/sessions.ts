import type { IncomingMessage } from 'node:http';
import { bearerToken } from './credentials';
import { unauthorized } from './http';
import type { User } from './seed';
import type { EmulatorState } from './state';
import { nowSeconds, type Principal } from './tokens';

interface RefreshToken {
  jwt: string;
  exp: number;
  jti?: string;
}

const principalOf = (user: User): Principal => ({
  sub: user.userId,
  roleNames: user.roleNames,
  tenants: user.userTenants,
  email: user.email,
  name: user.name,
});

/**
 * Descope's session response for a user and refresh token. The session carries the user's roles
 * as they are now (an admin may have changed them) and never outlives the refresh token.
 */
export async function sessionResponse(state: EmulatorState, user: User, refresh: RefreshToken) {
  const now = nowSeconds();
  const exp = Math.min(now + state.lifetimes.sessionTtlSeconds, refresh.exp);
  const session = await state.tokens.mint(principalOf(user), 'session', exp);
  return {
    sessionJwt: session.jwt,
    refreshJwt: refresh.jwt,
    cookiePath: '/',
    cookieDomain: '',
    cookieExpiration: refresh.exp,
    cookieMaxAge: Math.max(0, refresh.exp - now),
    sessionExpiration: session.exp,
    user: state.directory.userResponse(user),
    firstSeen: false,
    claims: session.claims,
  };
}

/** A sign-in: a new refresh token and its first session. */
export async function newSession(state: EmulatorState, user: User) {
  const refresh = await state.tokens.mint(principalOf(user), 'refresh', nowSeconds() + state.lifetimes.refreshTtlSeconds);
  state.issuedRefreshToken(user.userId, String(refresh.claims.jti));
  return sessionResponse(state, user, refresh);
}

/** The user behind the request's refresh token: issued here, unexpired, not revoked, still enabled. */
export async function refreshSubject(state: EmulatorState, req: IncomingMessage): Promise<{ user: User; refresh: RefreshToken & { jti: string } }> {
  const jwt = bearerToken(req, state.projectId);
  if (!jwt) throw unauthorized('a refresh token is required');
  const claims = await state.tokens.verifyRefresh(jwt);
  if (state.revokedRefreshTokens.has(claims.jti)) throw unauthorized('the refresh token was revoked');
  const user = state.directory.users.find((candidate) => candidate.userId === claims.sub);
  if (!user) throw unauthorized('the user of this refresh token no longer exists');
  if (user.status !== 'enabled') throw unauthorized(`the user is ${user.status}`);
  return { user, refresh: { jwt, exp: claims.exp, jti: claims.jti } };
}
