/** What a request presents as proof of identity, before anything is verified. */
export type Credentials =
  | { kind: 'cookies'; session: string | undefined; refresh: string | undefined }
  | { kind: 'token'; token: string; scheme: 'bearer' | 'basic' }
  | { kind: 'none' }
  | { kind: 'malformed'; reason: string }
  /** Two different DS (or DSR) cookies: one was planted for a longer path or a parent domain. */
  | { kind: 'conflicting-cookies' };

export const SESSION_COOKIE = 'DS';
export const REFRESH_COOKIE = 'DSR';

// Descope JWTs are 1–3 KB; anything far larger is garbage or an attack on the parser.
const MAX_TOKEN_LENGTH = 16_384;

/**
 * Every value sent for each cookie name. A name can come more than once: browsers send every
 * cookie whose path and domain match, longest path first, so a cookie planted for `/mlflow` (or
 * for a parent domain) by another page arrives next to ours, and often before it.
 */
export function parseCookieHeader(header: string | undefined): Map<string, string[]> {
  const cookies = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    const values = cookies.get(name);
    if (!values) cookies.set(name, [value]);
    else if (!values.includes(value)) values.push(value);
  }
  return cookies;
}

/** The one value of a cookie, or undefined when it is absent, empty or ambiguous. */
export function singleCookie(cookies: Map<string, string[]>, name: string): string | undefined {
  const values = cookies.get(name);
  return values?.length === 1 && values[0] ? values[0] : undefined;
}

/**
 * Authorization wins over cookies: programs send a header, browsers send cookies. Basic auth
 * carries the token (an access key, or a session JWT) as the password, for tools that speak
 * nothing else; the user name is ignored.
 */
export function readCredentials(authorization: string | undefined, cookieHeader: string | undefined): Credentials {
  if (authorization !== undefined && authorization.trim() !== '') return fromAuthorization(authorization.trim());
  const cookies = parseCookieHeader(cookieHeader);
  // Which of two sessions is the user's cannot be told (both may verify: a planted one is a real
  // session of the attacker's), so neither is used.
  if ((cookies.get(SESSION_COOKIE)?.length ?? 0) > 1 || (cookies.get(REFRESH_COOKIE)?.length ?? 0) > 1) return { kind: 'conflicting-cookies' };
  const session = singleCookie(cookies, SESSION_COOKIE);
  const refresh = singleCookie(cookies, REFRESH_COOKIE);
  if (!session && !refresh) return { kind: 'none' };
  if ((session?.length ?? 0) > MAX_TOKEN_LENGTH || (refresh?.length ?? 0) > MAX_TOKEN_LENGTH) {
    return { kind: 'malformed', reason: 'session cookie is too large' };
  }
  return { kind: 'cookies', session, refresh };
}

function fromAuthorization(header: string): Credentials {
  const space = header.indexOf(' ');
  const scheme = (space < 0 ? header : header.slice(0, space)).toLowerCase();
  const value = space < 0 ? '' : header.slice(space + 1).trim();
  let token: string;
  if (scheme === 'bearer') {
    token = value;
  } else if (scheme === 'basic') {
    const decoded = decodeBasic(value);
    if (decoded === undefined) return { kind: 'malformed', reason: 'Basic credentials are not valid base64 "user:password"' };
    token = decoded;
  } else {
    return { kind: 'malformed', reason: 'use "Authorization: Bearer <token>" or Basic with the token as password' };
  }
  if (token === '') return { kind: 'malformed', reason: 'the token is empty' };
  if (token.length > MAX_TOKEN_LENGTH) return { kind: 'malformed', reason: 'the token is too large' };
  if (/[\s\x00-\x1f\x7f]/.test(token)) return { kind: 'malformed', reason: 'the token contains whitespace or control characters' };
  return { kind: 'token', token, scheme: scheme as 'bearer' | 'basic' };
}

function decodeBasic(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}
