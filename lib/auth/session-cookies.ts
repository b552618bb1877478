import { REFRESH_COOKIE, SESSION_COOKIE } from '@/lib/auth/credentials';

export interface CookieOptions {
  secure: boolean;
  /** Seconds both cookies live: the refresh token's remaining lifetime. */
  maxAgeSeconds: number;
}

/**
 * Both cookies are HttpOnly (no portal script needs them) and SameSite=Lax: Strict would drop them
 * on the top-level navigation that opens an MLflow link pasted in chat or mail, sending a signed-in
 * user to the login page. Cross-site writes are refused by the portal's Origin check instead.
 */
function serialize(name: string, value: string, maxAge: number, secure: boolean): string {
  return `${name}=${value}; Path=/; Max-Age=${Math.max(0, Math.floor(maxAge))}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export function sessionCookies(sessionJwt: string, refreshJwt: string, options: CookieOptions): string[] {
  return [
    serialize(SESSION_COOKIE, sessionJwt, options.maxAgeSeconds, options.secure),
    serialize(REFRESH_COOKIE, refreshJwt, options.maxAgeSeconds, options.secure),
  ];
}

export function clearedSessionCookies(secure: boolean): string[] {
  return [serialize(SESSION_COOKIE, '', 0, secure), serialize(REFRESH_COOKIE, '', 0, secure)];
}

/** The Cookie header a handler behind us should see once the session was refreshed mid-request. */
export function replaceSessionInCookieHeader(cookieHeader: string | undefined, sessionJwt: string, refreshJwt: string): string {
  const others = (cookieHeader ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part && !part.startsWith(`${SESSION_COOKIE}=`) && !part.startsWith(`${REFRESH_COOKIE}=`));
  return [...others, `${SESSION_COOKIE}=${sessionJwt}`, `${REFRESH_COOKIE}=${refreshJwt}`].join('; ');
}
