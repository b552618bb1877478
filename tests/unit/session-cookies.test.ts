import { describe, expect, it } from 'vitest';
import { clearedConflictingCookies, clearedSessionCookies, replaceSessionInCookieHeader, sessionCookies } from '@/lib/auth/session-cookies';
import { isSecure } from '@/lib/http/request-facts';

describe('session cookies', () => {
  it('are HttpOnly, Lax, path /, and Secure only behind https', () => {
    const [ds, dsr] = sessionCookies('s.s.s', 'r.r.r', { secure: true, maxAgeSeconds: 3600.7 });
    expect(ds).toBe('DS=s.s.s; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax; Secure');
    expect(dsr).toBe('DSR=r.r.r; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax; Secure');
    expect(sessionCookies('s', 'r', { secure: false, maxAgeSeconds: 1 })[0]).not.toContain('Secure');
    expect(clearedSessionCookies(false)).toEqual(['DS=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax', 'DSR=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax']);
  });

  it('swaps a refreshed session into the Cookie header, keeping other cookies', () => {
    expect(replaceSessionInCookieHeader('a=1; DS=old; DSR=oldr; b=2', 'new', 'newr')).toBe('a=1; b=2; DS=new; DSR=newr');
  });

  it("are Secure by PORTAL_PUBLIC_URL when set, else by TLS or the proxy's X-Forwarded-Proto", () => {
    expect(isSecure({ publicUrl: new URL('https://mlflow.example.com') }, false, 'http')).toBe(true);
    expect(isSecure({ publicUrl: new URL('http://localhost:3000') }, true, 'https')).toBe(false);
    expect(isSecure({ publicUrl: undefined }, false, 'https, http')).toBe(true);
    expect(isSecure({ publicUrl: undefined }, false, undefined)).toBe(false);
    expect(isSecure({ publicUrl: undefined }, true, undefined)).toBe(true);
  });

  it('clear conflicting sessions at every path a planted cookie can have for this request, and nothing else', () => {
    const paths = clearedConflictingCookies('/mlflow/ajax-api/2.0/x?y=1', false).map((cookie) => /Path=([^;]*)/.exec(cookie)?.[1]);
    expect(new Set(paths)).toEqual(
      new Set([
        '/',
        '/mlflow',
        '/mlflow/',
        '/mlflow/ajax-api',
        '/mlflow/ajax-api/',
        '/mlflow/ajax-api/2.0',
        '/mlflow/ajax-api/2.0/',
        '/mlflow/ajax-api/2.0/x',
        '/mlflow/ajax-api/2.0/x/',
      ]),
    );
    // A segment that could end or extend the attribute stops the list there.
    expect(clearedConflictingCookies('/a/b;Domain=evil/c', true).every((cookie) => !cookie.includes('evil') && cookie.endsWith('; Secure'))).toBe(true);
  });
});
