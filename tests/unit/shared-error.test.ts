import { describe, expect, it, vi } from 'vitest';

/**
 * server.ts and each Next bundle hold their own copy of lib/, while the auth singletons are shared
 * on globalThis: an error thrown by one copy's verifier is caught by another copy's authenticate().
 */
describe('auth errors across module copies', () => {
  it('an error from one copy is an instance of the same class in another copy, and of no other', async () => {
    const first = {
      jwt: await import('@/lib/auth/jwt'),
      refresh: await import('@/lib/auth/refresh-session'),
      keys: await import('@/lib/auth/access-keys'),
      fetch: await import('@/lib/descope/resilient-fetch'),
    };
    vi.resetModules();
    const second = {
      jwt: await import('@/lib/auth/jwt'),
      refresh: await import('@/lib/auth/refresh-session'),
      keys: await import('@/lib/auth/access-keys'),
      fetch: await import('@/lib/descope/resilient-fetch'),
    };
    expect(first.jwt.InvalidTokenError).not.toBe(second.jwt.InvalidTokenError);

    const expired = new first.jwt.InvalidTokenError('"exp" claim timestamp check failed');
    expect(expired).toBeInstanceOf(second.jwt.InvalidTokenError);
    expect(expired).toBeInstanceOf(Error);
    expect(expired.name).toBe('InvalidTokenError');
    expect(expired.message).toBe('"exp" claim timestamp check failed');
    expect(new first.refresh.RefreshRejectedError('no')).toBeInstanceOf(second.refresh.RefreshRejectedError);
    expect(new first.keys.AccessKeyRejectedError('no')).toBeInstanceOf(second.keys.AccessKeyRejectedError);
    expect(new first.fetch.DescopeUnavailableError('down')).toBeInstanceOf(second.fetch.DescopeUnavailableError);

    expect(expired).not.toBeInstanceOf(second.refresh.RefreshRejectedError);
    expect(new Error('plain')).not.toBeInstanceOf(second.jwt.InvalidTokenError);
    expect(Object.assign(new Error('look-alike'), { name: 'InvalidTokenError' })).not.toBeInstanceOf(second.jwt.InvalidTokenError);
    expect(null).not.toBeInstanceOf(second.jwt.InvalidTokenError);
  });
});
