import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { bearerToken } from '../credentials';
import { EmulatorError, notFound, readJson, unauthorized } from '../http';
import { get, post, type Route } from '../router';
import { refreshSubject, sessionResponse } from '../sessions';
import type { EmulatorState } from '../state';
import { nowSeconds } from '../tokens';

const refreshBody = z.object({ externalToken: z.string().optional() });
const logoutBody = z.object({});
// loginOptions are validated and accepted; custom claims and tenant selection are not emulated.
const exchangeBody = z.object({
  loginOptions: z.object({ customClaims: z.record(z.string(), z.unknown()).optional(), selectedTenant: z.string().optional() }).optional(),
});

/** The endpoints the SDKs' auth calls hit: JWKS, refresh, try-refresh, logout, me, access-key exchange. */
export function authRoutes(state: EmulatorState): Route[] {
  const refresh = async (req: IncomingMessage) => {
    await readJson(req, refreshBody);
    const { user, refresh: token } = await refreshSubject(state, req);
    return sessionResponse(state, user, token);
  };

  return [
    get('/v2/keys/:projectId', ({ params }) => {
      if (params.projectId !== state.projectId) throw notFound('unknown project');
      return state.keys.jwks();
    }),
    post('/v1/auth/refresh', ({ req }) => refresh(req)),
    // The browser SDK clears its session on a 4xx here, so "nothing to refresh" is a 200 {}.
    post('/v1/auth/try-refresh', ({ req }) =>
      refresh(req).catch((error: unknown) => {
        if (error instanceof EmulatorError && error.status === 401) return {};
        throw error;
      }),
    ),
    post('/v1/auth/logout', async ({ req }) => {
      await readJson(req, logoutBody);
      const { refresh: token } = await refreshSubject(state, req);
      state.revokedRefreshTokens.add(token.jti);
      return {};
    }),
    get('/v1/auth/me', async ({ req }) => state.directory.userResponse((await refreshSubject(state, req)).user)),
    post('/v1/auth/accesskey/exchange', async ({ req }) => {
      await readJson(req, exchangeBody);
      const cleartext = bearerToken(req, state.projectId);
      if (!cleartext) throw unauthorized('an access key is required');
      const key = state.accessKeys.authenticate(cleartext);
      const sessionEnd = nowSeconds() + state.lifetimes.sessionTtlSeconds;
      const exp = key.expireTime ? Math.min(sessionEnd, key.expireTime) : sessionEnd;
      const session = await state.tokens.mint({ sub: key.id, roleNames: key.roleNames, tenants: key.keyTenants }, 'session', exp);
      return { keyId: key.id, sessionJwt: session.jwt, expiration: exp };
    }),
  ];
}
