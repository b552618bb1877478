import { describe, expect, it } from 'vitest';
import { safeNextPath } from '@/lib/auth/safe-next';

describe('safeNextPath', () => {
  it('keeps same-origin relative paths with query and hash', () => {
    expect(safeNextPath('/profile')).toBe('/profile');
    expect(safeNextPath('/mlflow/#/experiments/1?x=1')).toBe('/mlflow/#/experiments/1?x=1');
    expect(safeNextPath('/mlflow/?a=b')).toBe('/mlflow/?a=b');
  });

  it.each([
    '//evil.com',
    'https://evil.com',
    '/\\evil.com',
    '\\\\evil.com',
    '/%2Fevil.com',
    '%2F%2Fevil.com',
    '/%5Cevil.com',
    '/%252F%252Fevil.com',
    '/\t/evil.com',
    '/\n/evil.com',
    'javascript:alert(1)',
    '///evil.com',
    'http:/evil.com',
    '/auth/login?next=/x',
    '/auth/logout',
    '',
    undefined,
  ])('sends %j to the fallback', (candidate) => {
    expect(safeNextPath(candidate)).toBe('/');
  });
});
