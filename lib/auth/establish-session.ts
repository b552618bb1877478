import type { Identity } from '@/lib/auth/identity';
import { identityFromClaims } from '@/lib/auth/identity-from-claims';
import { InvalidTokenError } from '@/lib/auth/jwt';
import { sessionCookies } from '@/lib/auth/session-cookies';
import type { AuthDeps } from '@/lib/auth/authenticate';

export type Established = { ok: true; identity: Identity; setCookies: string[] } | { ok: false; reason: 'invalid' | 'no_access'; message: string };

/**
 * Turns the tokens a completed login produced into session cookies, after checking both: the
 * session token is a live session, the refresh token is a refresh token of the same user, and the
 * user has some MLflow access (users with none are stopped here, with the reason).
 */
export async function establishSession(
  sessionJwt: string,
  refreshJwt: string,
  secure: boolean,
  { verifier, config }: Pick<AuthDeps, 'verifier' | 'config'>,
): Promise<Established> {
  try {
    const session = await verifier.verify(sessionJwt, 'session');
    const refresh = await verifier.verify(refreshJwt, 'refresh');
    if (session.sub !== refresh.sub) return { ok: false, reason: 'invalid', message: 'the session and refresh tokens belong to different users' };
    const identity = identityFromClaims(session, config, 'cookie');
    if (identity.mlflowPermission === 'NONE' && !identity.isAdmin) {
      return {
        ok: false,
        reason: 'no_access',
        message: `${identity.email || identity.username} has no MLflow access: no role of yours maps to a permission. Ask an admin for a role such as mlflow-reader.`,
      };
    }
    const maxAgeSeconds = refresh.exp - Math.floor(Date.now() / 1000);
    return { ok: true, identity, setCookies: sessionCookies(sessionJwt, refreshJwt, { secure, maxAgeSeconds }) };
  } catch (error) {
    if (error instanceof InvalidTokenError) return { ok: false, reason: 'invalid', message: `the sign-in tokens were refused: ${error.message}` };
    throw error;
  }
}
