import { describe, expect, it } from 'vitest';
import { readCredentials } from '@/lib/auth/credentials';
import { isCrossSiteWrite } from '@/lib/auth/same-origin';

describe('readCredentials', () => {
  it('prefers Authorization over cookies', () => {
    expect(readCredentials('Bearer abc', 'DS=x')).toEqual({ kind: 'token', token: 'abc', scheme: 'bearer' });
  });
  it('takes the Basic password as the token', () => {
    const basic = Buffer.from('anyone:K2key:secret').toString('base64');
    expect(readCredentials(`Basic ${basic}`, undefined)).toEqual({ kind: 'token', token: 'K2key:secret', scheme: 'basic' });
  });
  it('reads DS/DSR cookies', () => {
    expect(readCredentials(undefined, 'a=1; DS=one; DSR=r')).toEqual({ kind: 'cookies', session: 'one', refresh: 'r' });
    expect(readCredentials(undefined, 'a=1')).toEqual({ kind: 'none' });
  });

  it('uses neither session when two different DS or DSR cookies arrive (one was planted), and tolerates an exact repeat', () => {
    expect(readCredentials(undefined, 'DS=planted; a=1; DS=mine; DSR=r')).toEqual({ kind: 'conflicting-cookies' });
    expect(readCredentials(undefined, 'DS=s; DSR=planted; DSR=mine')).toEqual({ kind: 'conflicting-cookies' });
    expect(readCredentials(undefined, 'DS=same; DS=same; DSR=r')).toEqual({ kind: 'cookies', session: 'same', refresh: 'r' });
  });
  it.each(['Digest x', 'Bearer', 'Bearer a b', 'Basic !!!', `Basic ${Buffer.from('nocolon').toString('base64')}`, `Bearer ${'a'.repeat(20_000)}`])(
    'calls %j malformed',
    (header) => {
      expect(readCredentials(header, 'DS=x').kind).toBe('malformed');
    },
  );
});

describe('isCrossSiteWrite', () => {
  const request = (method: string, headers: Record<string, string>) => ({ method, header: (name: string) => headers[name] });
  it('allows reads and same-origin writes', () => {
    expect(isCrossSiteWrite(request('GET', { origin: 'https://evil.com', host: 'portal' }))).toBe(false);
    expect(isCrossSiteWrite(request('POST', { origin: 'http://portal:3000', host: 'portal:3000', 'sec-fetch-site': 'same-origin' }))).toBe(false);
    expect(isCrossSiteWrite(request('POST', { host: 'portal' }))).toBe(false);
  });
  it('refuses foreign, null and unparsable origins and cross-site fetches', () => {
    expect(isCrossSiteWrite(request('POST', { origin: 'https://evil.com', host: 'portal' }))).toBe(true);
    expect(isCrossSiteWrite(request('DELETE', { origin: 'null', host: 'portal' }))).toBe(true);
    expect(isCrossSiteWrite(request('POST', { origin: '::', host: 'portal' }))).toBe(true);
    expect(isCrossSiteWrite(request('POST', { host: 'portal', 'sec-fetch-site': 'cross-site' }))).toBe(true);
    expect(isCrossSiteWrite(request('PUT', { host: 'portal', 'sec-fetch-site': 'same-site' }))).toBe(true);
  });
});
