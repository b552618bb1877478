import { parseCookieHeader, REFRESH_COOKIE, SESSION_COOKIE, singleCookie } from '@/lib/auth/credentials';

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
function serialize(name: string, value: string, { maxAge, secure, path = '/' }: { maxAge: number; secure: boolean; path?: string }): string {
  return `${name}=${value}; Path=${path}; Max-Age=${Math.max(0, Math.floor(maxAge))}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

// Enough prefixes to reach any path a planted cookie could name for an MLflow API call.
const MAX_CLEARED_PREFIXES = 6;

/**
 * Clears DS and DSR at `/` and at every prefix of the request's path, with and without the
 * trailing slash: a cookie the browser sent for this path has one of these as its Path, so a
 * cookie planted beside ours (same host) is gone after this answer. One planted for a parent
 * domain can only be cleared by a response from that domain, and keeps being refused.
 */
export function clearedConflictingCookies(path: string, secure: boolean): string[] {
  const segments: string[] = [];
  for (const segment of path.split(/[?#]/)[0].split('/').filter(Boolean).slice(0, MAX_CLEARED_PREFIXES)) {
    // A Path attribute is written into the header as is: nothing that could end or extend it.
    if (!/^[\w.~%@:,+-]+$/.test(segment)) break;
    segments.push(segment);
  }
  const paths = new Set(['/']);
  segments.forEach((_, index) => {
    const prefix = `/${segments.slice(0, index + 1).join('/')}`;
    paths.add(prefix).add(`${prefix}/`);
  });
  return [...paths].flatMap((cookiePath) => [
    serialize(SESSION_COOKIE, '', { maxAge: 0, secure, path: cookiePath }),
    serialize(REFRESH_COOKIE, '', { maxAge: 0, secure, path: cookiePath }),
  ]);
}

export function sessionCookies(sessionJwt: string, refreshJwt: string, options: CookieOptions): string[] {
  return [
    serialize(SESSION_COOKIE, sessionJwt, { maxAge: options.maxAgeSeconds, secure: options.secure }),
    serialize(REFRESH_COOKIE, refreshJwt, { maxAge: options.maxAgeSeconds, secure: options.secure }),
  ];
}

export function clearedSessionCookies(secure: boolean): string[] {
  return [serialize(SESSION_COOKIE, '', { maxAge: 0, secure }), serialize(REFRESH_COOKIE, '', { maxAge: 0, secure })];
}

/** The Cookie header a handler behind us should see once the session was refreshed mid-request. */
export function replaceSessionInCookieHeader(cookieHeader: string | undefined, sessionJwt: string, refreshJwt: string): string {
  const others = (cookieHeader ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part && !part.startsWith(`${SESSION_COOKIE}=`) && !part.startsWith(`${REFRESH_COOKIE}=`));
  return [...others, `${SESSION_COOKIE}=${sessionJwt}`, `${REFRESH_COOKIE}=${refreshJwt}`].join('; ');
}

/** The portal's session tokens in a Cookie header, each only when it is there exactly once. */
export function sessionTokensIn(cookieHeader: string | undefined): { sessionJwt?: string; refreshJwt?: string } {
  const cookies = parseCookieHeader(cookieHeader);
  return { sessionJwt: singleCookie(cookies, SESSION_COOKIE), refreshJwt: singleCookie(cookies, REFRESH_COOKIE) };
}
